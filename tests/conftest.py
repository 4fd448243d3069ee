"""Shared fixtures: a DuckDB connection with the raw schema, and a way to write small inbox files."""

from __future__ import annotations

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
    the tests that load the Dagster definitions find it on a fresh clone."""
    from assets.foundation.dbt_project import prepare_manifest
    from assets.foundation.settings import Settings

    prepare_manifest(Settings().dbt_vars())


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
