# 钟楼区安全生产工作进展公示平台 — build, test and preview.
# `make site` and `make test` do all the set-up on a fresh machine.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
AS_OF  ?=
AS_OF_FLAG := $(if $(AS_OF),--as-of $(AS_OF),)
# Site engine: mkdocs (MkDocs 1.6 + Material 9.8, the default) or zensical (Material's successor).
ENGINE ?= mkdocs
SITE_CONFIG := build/mkdocs.yml
export NO_MKDOCS_2_WARNING := 1
export PYTHONHASHSEED := 0

.PHONY: help venv lock validate generate site serve serve-site test test-fast bench lighthouse lint mutants clean

help:
	@echo "make site      创建 .venv、安装依赖、校验数据、生成页面并构建 site/"
	@echo "               （ENGINE=zensical 改用 Zensical 构建，默认 mkdocs）"
	@echo "make serve     本地预览（http://127.0.0.1:8000），ENGINE 同上"
	@echo "make serve-site 按部署方式预览已构建的 site/（gzip 预压缩、缓存头）"
	@echo "make test      运行全部测试"
	@echo "make validate  只校验 data/ 下的数据"
	@echo "make lint      代码检查（ruff、mypy）"
	@echo "make bench     性能基准"

# Every dependency (the dev extra included; pip and setuptools too) at the version and the file
# hashes in requirements.lock; then the project itself, built with the locked setuptools.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

venv: $(VENV)/.installed

# Re-resolve requirements.lock from pyproject.toml (after changing a pin there), with hashes.
lock: venv
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --extra dev --strip-extras \
	  --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

validate: venv
	$(PY) -m generator validate $(AS_OF_FLAG)

generate: venv
	$(PY) -m generator build $(AS_OF_FLAG)

site: generate
	$(PY) -m generator publish --engine $(ENGINE)

serve: generate
ifeq ($(ENGINE),zensical)
	$(VENV)/bin/zensical serve --config-file $(SITE_CONFIG) --dev-addr 127.0.0.1:8000
else
	$(VENV)/bin/mkdocs serve --livereload --config-file $(SITE_CONFIG) --dev-addr 127.0.0.1:8000
endif

# The built site/ as a gzip_static host serves it (precompressed .gz, cache headers).
serve-site:
	$(PY) -m benchmarks.serve site --port 8000

test: venv
	$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

test-fast: venv
	$(PY) -m pytest -q -m "not browser and not slow"

lint: venv
	$(PY) -m ruff check generator tests benchmarks
	$(PY) -m mypy generator

bench: $(if $(filter python3,$(PYTHON)),venv)  # or: make bench PYTHON=/path/to/python
	$(if $(filter python3,$(PYTHON)),$(PY),$(PYTHON)) -m benchmarks.run $(BENCH_ARGS)

# Mutation testing of the assessment rules (generator/evaluate/) against tests/test_rules.py,
# tests/test_rules_edges.py and tests/test_updates.py; prints the score and lists the survivors
# (see [tool.mutmut] in pyproject.toml).
mutants: venv
	$(PY) -m mypy generator
	$(PY) -m pip install --quiet "mutmut==3.8.1"
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children 2 > /dev/null 2>&1 || true
	@$(VENV)/bin/mutmut results --all true | awk '{print $$NF}' | sort | uniq -c
	@$(VENV)/bin/mutmut results | grep -v ": killed" || true

# Lighthouse 12.2.3 (mobile) on home, a board and a campaign page of site/, served as deployed.
# Installed into a git-ignored scratch folder: the tests do not need it (13.x needs Node 22).
LIGHTHOUSE_DIR := benchmarks/out/lighthouse
lighthouse: venv
	[ -x $(LIGHTHOUSE_DIR)/node_modules/.bin/lighthouse ] || npm install --prefix $(LIGHTHOUSE_DIR) \
	  --save-exact --no-audit --no-fund lighthouse@12.2.3
	$(PY) -m benchmarks.lighthouse site --lighthouse $(LIGHTHOUSE_DIR)/node_modules/.bin/lighthouse \
	  $(LIGHTHOUSE_ARGS)

clean:
	rm -rf build site .cache
