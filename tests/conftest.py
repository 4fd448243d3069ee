"""Shared fixtures: a DuckDB connection with the raw schema, and a way to write small inbox files."""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from shapely.geometry import shape

from assets.foundation.database import load_spatial
from assets.ingest.contract import LoadContext
from assets.ingest.raw_schema import create_empty_raw_schema

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_sessionstart(session):
    """The dbt manifest is a build product (never prepared on import): prepare it once for the session, so
    the tests that load the Dagster definitions find it on a fresh clone. With pytest-xdist the controller
    prepares it before the workers start (xdist starts them in its own, later hook); the workers only read
    it. With the vars of `tryghed run` over every year, so every run's parse (each into its own warehouse's
    target folder) finds the prepared partial parse valid and parses nothing."""
    if hasattr(session.config, "workerinput"):
        return
    from assets.foundation.dbt_project import prepare_manifest
    from assets.foundation.settings import Settings
    from orchestration.partitions import all_years

    prepare_manifest(Settings().dbt_vars(all_years()))


# --- running on two workers (pytest-xdist, `-n 2 --dist loadfile` in pyproject.toml) -------------------------
# `--dist loadfile` keeps each test module on one worker, in file order: a module's runs (its module-scoped
# fixtures) are made once and its tests that build on each other (test_refresh_by_delivery's a–e) see each
# other's changes. Only the session's `pipeline` run is made once per worker (~20 s) rather than once.
# (`--dist loadgroup`, by xdist_group marks, does not group under pytest 9.2: xdist 3.8 still marks a group by
# rewriting the item's `_nodeid`, which pytest 9.2 no longer reads; pytest-xdist issue #1386.)
# The modules with the longest runs, longest first (measured with `--durations=0`): they are handed out first
# (`--no-loadscope-reorder` keeps this order), so the two workers end close together; the rest follow in
# file order. A module missing here only makes the suite end later, never fail.
SLOW_MODULES_FIRST = (
    "test_refresh_by_delivery", "test_status_calendar", "test_bad_input_matrix", "test_partnerships",
    "test_gx_refresh", "test_publishing", "test_yearly_cycle", "test_baseline_freeze", "test_statusrapport",
    "test_releases", "test_dagster_ui_browser", "test_expectations", "test_check_command",
)


def pytest_collection_modifyitems(config, items):
    """The slow modules first (a stable sort: the tests of a module keep their order); every worker sorts
    the same way, as xdist requires."""
    rank = {name: i for i, name in enumerate(SLOW_MODULES_FIRST)}
    items.sort(key=lambda item: rank.get(Path(str(item.fspath)).stem, len(rank)))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """A test marked `writes_dbt_seed` changes a file of the dbt project, which every run reads: on xdist it
    runs alone, while no other worker is in a test (fixtures included). No test needs it now (the frozen
    baseline's end-to-end test gives dbt a copy of the seeds: assets.foundation.dbt_project.SEEDS_DIR); it
    stays for a test that cannot avoid changing the project."""
    worker = getattr(item.config, "workerinput", None)
    if worker is None:
        return (yield)
    root = item.config._tmp_path_factory.getbasetemp().parent  # shared by the session's workers
    with _project_lock(root / "dbt_projekt.lock", exclusive=item.get_closest_marker("writes_dbt_seed") is not None):
        return (yield)


@contextlib.contextmanager
def _project_lock(path: Path, *, exclusive: bool):
    """A readers-writer lock between processes (flock): the writer first closes a gate, so that readers
    queue behind it instead of keeping the lock shared forever."""
    with open(path.with_suffix(".gate"), "a") as gate, open(path, "a") as lock:
        fcntl.flock(gate, fcntl.LOCK_EX)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        finally:
            if not exclusive:
                fcntl.flock(gate, fcntl.LOCK_UN)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
            if exclusive:
                fcntl.flock(gate, fcntl.LOCK_UN)


@pytest.fixture
def con():
    connection = duckdb.connect()
    load_spatial(connection)
    create_empty_raw_schema(connection)
    yield connection
    connection.close()


@pytest.fixture
def inbox(tmp_path) -> Path:
    root = tmp_path / "inbox"
    root.mkdir()
    return root


@pytest.fixture
def ctx(inbox) -> LoadContext:
    return LoadContext(inbox, datetime(2026, 3, 1, 12, 0, 0))


def write(inbox: Path, rel: str, text: str | bytes, *, encoding: str = "utf-8") -> Path:
    path = inbox / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text if isinstance(text, bytes) else text.encode(encoding)
    if path.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)
    return path


# The end-to-end inbox: small, but with the 2024 baseline year, the 2025 extension and overlapping deliveries.
YEARS = (2023, 2025)
SCALE = 0.2
# A report the tests add: a burglary in 2023 inside the 2025 extension (and so outside the original area).
EXTRA_JOURNALNR = "0100-99999-00001-23"


def current_release(warehouse: Path) -> Path:
    """The current release's folder, found as every reader in the code finds it: through the pointer file
    udgivelser/AKTUEL.txt (WarehouseLayout.marts_dir), never through the `marts` symlink."""
    from assets.foundation.settings import WarehouseLayout

    return WarehouseLayout(Path(warehouse)).marts_dir


def areas_of(inbox: Path) -> dict:
    doc = json.loads((inbox / "geo" / "omraader.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["omraade_kode"]: shape(f["geometry"]) for f in doc["features"]}


@pytest.fixture(scope="session")
def pipeline(tmp_path_factory):
    """One real run of `tryghed run` on a generated inbox, shared by the end-to-end and publishing tests."""
    import pandas as pd

    import samplegen
    from assets.foundation.dbt_project import mart_names
    from orchestration.cli import main

    root = tmp_path_factory.mktemp("e2e")
    inbox, warehouse = root / "inbox", root / "warehouse"
    samplegen.generate(inbox, years=YEARS, scale=SCALE)
    areas = areas_of(inbox)
    point = areas["AP_DEL_UDV"].representative_point()
    assert areas["AP"].contains(point) and not areas["AP_OPR"].contains(point)
    (inbox / "police" / "anmeldelser_2023_test.csv").write_text(
        "journalnr;anmeldt_dato;gerning_fra;gerning_til;gerningskode;gerningskode_tekst;kommunekode;"
        "x_utm32;y_utm32;leveret_dato\n"
        f"{EXTRA_JOURNALNR};2023-06-01;;;1320;Indbrud i beboelse;101;{point.x:.0f};{point.y:.0f};2024-02-01\n",
        encoding="utf-8",
    )
    exit_code = main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])
    assert exit_code == 0
    marts = {m: pd.read_parquet(current_release(warehouse) / f"{m}.parquet") for m in mart_names()}
    return inbox, warehouse, marts, areas
