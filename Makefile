# The front door. `make run` and `make test` install everything from nothing (a bootstrapped uv, then the
# locked dependencies from uv.lock) and then do their job.
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install manifest run test ui lint sample bench clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	touch $@

install: $(VENV)/.installed

# The dbt manifest Dagster's definitions read: a build product (also prepared by `tryghed run` and the tests),
# with the vars of `tryghed run` over every year, so a run's own parse starts from it and finds nothing to do
manifest: install
	$(VENV)/bin/python -c "from assets.foundation.dbt_project import prepare_manifest; \
	from assets.foundation.settings import settings_from_env; from orchestration.partitions import all_years; \
	print(prepare_manifest(settings_from_env().dbt_vars(all_years())))"

# The status report's PDF is its HTML page printed by Debian's headless Chromium: installed when missing
# (apt-get, so as root); where that is not possible the run still works and says the PDF was skipped.
run: install
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium) || echo "make run: chromium could not be installed (apt-get); the status report's PDF is skipped"
	$(VENV)/bin/tryghed run --inbox data/sample

# The tests start with the lint (ruff, sqlfluff and the import contract), so CI checks the architecture too.
# The status report's browser tests render the page in Debian's headless Chromium, and the PDF tests read its
# text with poppler-utils' pdftotext (both installed here if missing).
test: install lint
	command -v chromium >/dev/null && command -v pdftotext >/dev/null || (apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils)
	$(VENV)/bin/python -m pytest

# the warehouse's own Dagster instance, the one `tryghed run` records every run into
ui: manifest
	$(VENV)/bin/python -c "from orchestration.adapters.dagster_instance import ensure_home; ensure_home('warehouse/.dagster')"
	DAGSTER_HOME=$(CURDIR)/warehouse/.dagster $(VENV)/bin/dagster dev -m orchestration.definitions

# ruff (Python), sqlfluff (dbt SQL) and import-linter (the floors of docs/architecture.md, pyproject.toml)
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/sqlfluff lint --processes 2 dbt_project/models
	$(VENV)/bin/lint-imports

sample: install
	$(VENV)/bin/tryghed sample --out data/sample

# The bench (bench/run_bench.py): the sample's second run, a near-empty inbox, ~1 M and ~10 M police reports, and
# `make test` in a fresh clone; every target of issue 15 met or missed. Data under $(BENCH_DATA) (~2.5 GB, ignored)
BENCH_DATA ?= warehouse/bench
BENCH_SIZES ?= empty,1m,10m
bench: install
	$(VENV)/bin/python bench/run_bench.py --sizes $(BENCH_SIZES) --data $(BENCH_DATA) --test-suite

clean:
	rm -rf warehouse/tryghed.duckdb* warehouse/marts warehouse/udgivelser warehouse/tryghed_katalog.duckdb \
	       warehouse/tryghed_marts.xlsx \
	       dbt_project/target
