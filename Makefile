# GraphMind: `make run` builds the example corpus, `make test` runs the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Neo4j's own Cypher grammar (npm), used by the tests to check queries/
LINT := tests/cypher_lint/node_modules/.installed

.PHONY: install run test bench clean train corpus-check

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,tokenizers,cluster]'
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

# Every record of the corpus: offsets, one central claim, relations between units, one tree.
corpus-check: $(STAMP)
	$(BIN)/python -m graphmind.corpus check corpus/en.jsonl corpus/ru.jsonl

bench: $(STAMP)
	$(BIN)/python benchmarks/extraction_quality.py
	$(BIN)/python benchmarks/extraction_speed.py
	$(BIN)/python benchmarks/store_speed.py
	$(BIN)/python benchmarks/export_speed.py
	$(BIN)/python benchmarks/export_quality.py

clean:
	rm -rf $(VENV) out .graphmind .pytest_cache tests/cypher_lint/node_modules
