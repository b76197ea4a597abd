# 钟楼区安全生产工作进展公示平台 — build, test and preview.
# `make site` and `make test` do all the set-up on a fresh machine.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
AS_OF  ?=
AS_OF_FLAG := $(if $(AS_OF),--as-of $(AS_OF),)
export NO_MKDOCS_2_WARNING := 1
export PYTHONHASHSEED := 0

.PHONY: help venv validate generate site serve test test-fast bench lint mutants clean

help:
	@echo "make site      创建 .venv、安装依赖、校验数据、生成页面并构建 site/"
	@echo "make serve     本地预览（http://127.0.0.1:8000）"
	@echo "make test      运行全部测试"
	@echo "make validate  只校验 data/ 下的数据"
	@echo "make bench     性能基准"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

validate: venv
	$(PY) -m generator validate $(AS_OF_FLAG)

generate: venv
	$(PY) -m generator build $(AS_OF_FLAG)

site: generate
	$(PY) -m generator publish

serve: generate
	$(VENV)/bin/mkdocs serve --livereload --dev-addr 127.0.0.1:8000

test: venv
	$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

test-fast: venv
	$(PY) -m pytest -q -m "not browser and not slow"

lint: venv
	$(PY) -m ruff check generator tests benchmarks

bench: $(if $(filter python3,$(PYTHON)),venv)  # or: make bench PYTHON=/path/to/python
	$(if $(filter python3,$(PYTHON)),$(PY),$(PYTHON)) -m benchmarks.run $(BENCH_ARGS)

# Mutation testing of the assessment rules (generator/evaluate/) against tests/test_rules.py;
# prints the score and lists the survivors (see [tool.mutmut] in pyproject.toml).
mutants: venv
	$(PY) -m pip install --quiet "mutmut==3.8.1"
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children 2 > /dev/null 2>&1 || true
	@$(VENV)/bin/mutmut results --all true | awk '{print $$NF}' | sort | uniq -c
	@$(VENV)/bin/mutmut results | grep -v ": killed" || true

clean:
	rm -rf build site .cache
