# The front door. `make run` and `make test` install everything from nothing (a bootstrapped uv, then the
# locked dependencies from uv.lock) and then do their job.
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run test ui lint sample bench clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	touch $@

install: $(VENV)/.installed

run: install
	$(VENV)/bin/tryghed run

test: install
	$(VENV)/bin/python -m pytest

ui: install
	mkdir -p warehouse/.dagster
	DAGSTER_HOME=$(CURDIR)/warehouse/.dagster $(VENV)/bin/dagster dev -m orchestration.definitions

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/sqlfluff lint dbt_project/models

sample: install
	$(VENV)/bin/tryghed sample --out data/sample

clean:
	rm -rf warehouse/tryghed.duckdb* warehouse/marts warehouse/udgivelser warehouse/tryghed_katalog.duckdb \
	       dbt_project/target
