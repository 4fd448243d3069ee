"""BI files that travel, and releases the data team can list and roll back.

Everything here works on copies of the session's published warehouse (the `pipeline` fixture), never on it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
import yaml

from assets.foundation.dbt_project import mart_names
from assets.foundation.settings import Settings, WarehouseLayout
from orchestration.cli import main
from tests.conftest import current_release

ROOT = Path(__file__).parent.parent
MARTS = mart_names()


def _documented() -> dict[str, tuple[str, dict[str, str]]]:
    """What _marts.yml says of every mart and column (whitespace folded as YAML folds it)."""
    doc = yaml.safe_load((ROOT / "dbt_project" / "models" / "marts" / "_marts.yml").read_text(encoding="utf-8"))
    return {
        m["name"]: (" ".join((m.get("description") or "").split()),
                    {c["name"]: " ".join((c.get("description") or "").split()) for c in m.get("columns", [])})
        for m in doc["models"]
    }


def _without_symlinks(folder: str, names: list[str]) -> list[str]:
    """shutil.copytree's ignore: leave out symlinks, as file-sync services do."""
    return [n for n in names if os.path.islink(os.path.join(folder, n))]


@pytest.fixture
def warehouse_copy(pipeline, tmp_path) -> Path:
    """A private copy of the published warehouse (working database included), symlinks kept as they are."""
    _inbox, warehouse, _marts, _ = pipeline
    copy = tmp_path / "lager"
    shutil.copytree(warehouse, copy, symlinks=True, ignore=shutil.ignore_patterns("logs", "docs"))
    return copy


def test_the_manifest_records_the_runs_thresholds(pipeline):
    _inbox, warehouse, _marts, _ = pipeline
    manifest = json.loads((current_release(warehouse) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["taerskler"] == Settings().thresholds()


def test_no_symlink_is_needed_to_find_the_current_release(pipeline):
    _inbox, warehouse, _marts, _ = pipeline
    layout = WarehouseLayout(warehouse)
    name = (warehouse / "udgivelser" / "AKTUEL.txt").read_text(encoding="utf-8").strip()
    assert layout.marts_dir == warehouse / "udgivelser" / name
    assert (layout.marts_dir / "manifest.json").exists()
    # the link BI users read by path is kept where the file system has symlinks, and agrees with the pointer
    assert (warehouse / "marts").resolve() == layout.marts_dir


def test_a_warehouse_copied_elsewhere_without_symlinks_reads_every_mart_through_its_catalog(
        warehouse_copy, tmp_path, monkeypatch):
    moved = tmp_path / "delt_drev" / "tryghed"
    shutil.copytree(warehouse_copy, moved, ignore=_without_symlinks)
    shutil.rmtree(warehouse_copy)  # the original is gone: nothing may point back to it
    assert not (moved / "marts").exists()
    monkeypatch.chdir(tmp_path)  # a BI tool's own working directory

    release = WarehouseLayout(moved).marts_dir
    assert release.parent == moved / "udgivelser" and release.is_dir()
    documented = _documented()
    catalog = duckdb.connect(str(moved / "tryghed_katalog.duckdb"), read_only=True)
    parquet = duckdb.connect()
    try:
        tables = dict(catalog.execute("select table_name, comment from duckdb_tables()").fetchall())
        assert set(tables) == set(MARTS)
        for mart in MARTS:
            in_catalog = catalog.execute(f'select * from "{mart}" order by all')
            in_parquet = parquet.execute("select * from read_parquet(?) order by all",
                                         [str(release / f"{mart}.parquet")])
            assert [c[0] for c in in_catalog.description] == [c[0] for c in in_parquet.description], mart
            rows = in_catalog.fetchall()
            assert rows == in_parquet.fetchall(), mart
            assert len(rows) > 0, mart

            # the dbt docs travel with it: the table's and every column's description as comments
            description, columns = documented[mart]
            assert description in tables[mart] and release.name in tables[mart], mart
            comments = dict(catalog.execute(
                "select column_name, comment from duckdb_columns() where table_name = ?", [mart]).fetchall())
            assert comments == {c: columns[c] for c in comments}, mart
            assert all(comments.values()), f"{mart}: columns without a description"
    finally:
        catalog.close()
        parquet.close()

    # the release folder alone travels too: its own catalog and the report built from it
    alone = tmp_path / "kun_udgivelsen"
    shutil.copytree(release, alone)
    con = duckdb.connect(str(alone / "tryghed_katalog.duckdb"), read_only=True)
    assert con.execute("select count(*) from fct_tryghed").fetchone()[0] == pq.read_metadata(
        alone / "fct_tryghed.parquet").num_rows
    con.close()


def _cell(value):
    """An Excel cell read back, comparable with a Parquet value (dates come back as midnight datetimes)."""
    return value.date() if isinstance(value, dt.datetime) and value.time() == dt.time() else value


def _same(a, b) -> bool:
    """Excel has one number type (a whole double reads back as an int) and 16 significant digits."""
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool):
        return math.isclose(a, b, rel_tol=1e-15)
    return type(a) is type(b) and a == b


def _parquet_value(value):
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return value


def test_excel_workbook_has_every_mart_the_readme_and_the_parquet_values(pipeline):
    from openpyxl import load_workbook

    _inbox, warehouse, _marts, _ = pipeline
    release = current_release(warehouse)
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    # the warehouse's workbook is the current release's, byte for byte
    assert (warehouse / "tryghed_marts.xlsx").read_bytes() == (release / "tryghed_marts.xlsx").read_bytes()

    workbook = load_workbook(warehouse / "tryghed_marts.xlsx", read_only=True)
    try:
        assert workbook.sheetnames == ["Læs mig", *MARTS]
        for mart in ("fct_tryghed", "fct_kriminalitet", "dim_omraade"):
            rows = list(workbook[mart].iter_rows(values_only=True))
            table = pq.read_table(release / f"{mart}.parquet")
            assert list(rows[0]) == table.column_names, mart
            expected = [tuple(_parquet_value(v) for v in r.values()) for r in table.to_pylist()]
            width = table.num_columns  # a row read back ends at its last non-empty cell
            got = [tuple(_cell(v) for v in r) + (None,) * (width - len(r)) for r in rows[1:]]
            assert len(got) == len(expected) == manifest["raekker"][mart], mart
            # same rows, same order, typed cells (numbers, text, booleans, dates, empty)
            for number, (row, want) in enumerate(zip(got, expected, strict=True)):
                assert all(_same(a, b) for a, b in zip(row, want, strict=True)), f"{mart} row {number}: {row}"

        readme = [tuple(v for v in r if v is not None) for r in workbook["Læs mig"].iter_rows(values_only=True)]
    finally:
        workbook.close()
    for mart, (_description, columns) in _documented().items():
        for column, text in columns.items():
            assert (mart, column, text) in readme, f"{mart}.{column} not described in 'Læs mig'"
    cells = {v for r in readme for v in r}
    assert manifest["run_id"] in cells and manifest["kodeversion"] in cells
    for key, value in manifest["taerskler"].items():
        assert (f"taerskler.{key}", value) in readme
    assert {f["sha256"] for f in manifest["inputfiler"]} <= cells


def _publish_again(warehouse: Path, run_id: str, **thresholds):
    """One more release from the copy's working database (publishing alone, ~2 s)."""
    from assets.publish.release import publish

    time.sleep(1.1)  # release names and times have whole seconds
    return publish(Settings(**thresholds).with_paths(warehouse=warehouse), run_id, code_version="test")


def _area_name(catalog: Path, code: str) -> str:
    con = duckdb.connect(str(catalog), read_only=True)
    try:
        return con.execute("select navn from dim_omraade where omraade_kode = ?", [code]).fetchone()[0]
    finally:
        con.close()


def test_releases_listed_newest_first_and_rollback_makes_the_previous_current(warehouse_copy, capsys):
    w = warehouse_copy
    layout = WarehouseLayout(w)
    first = layout.marts_dir
    original = _area_name(w / "tryghed_katalog.duckdb", "101")
    _publish_again(w, "22222222-aaaa-4000-8000-000000000002", minimum_svar=25)
    # a third release whose figures differ: a renamed area in the working database
    con = duckdb.connect(str(layout.database))
    con.execute("update marts.dim_omraade set navn = 'Ny by' where omraade_kode = '101'")
    con.close()
    _publish_again(w, "33333333-bbbb-4000-8000-000000000003")
    (second,) = layout.releases_dir.glob("*_22222222")
    (third,) = layout.releases_dir.glob("*_33333333")
    assert layout.marts_dir == third and _area_name(w / "tryghed_katalog.duckdb", "101") == "Ny by"

    assert main(["releases", "--warehouse", str(w)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split()[:2] == ["udgivelse", "udgivet"]
    rows = lines[2:]
    assert [row[3:].split()[0] for row in rows] == [third.name, second.name, first.name]  # newest first
    assert [row[0] for row in rows] == ["*", " ", " "]  # the current one marked
    inputs = len(json.loads((first / "manifest.json").read_text(encoding="utf-8"))["inputfiler"])
    second_line = next(line for line in lines if second.name in line)
    assert "22222222-aaaa-4000-8000-000000000002" in second_line and f" {inputs} " in second_line
    assert "minimum_svar=25" in second_line and "diskretion_graense=5" in second_line
    assert "minimum_svar=30" in next(line for line in lines if third.name in line)

    # rollback: the previous release is current, for the code, the catalog, the workbook and the link
    assert main(["rollback", "--warehouse", str(w)]) == 0
    out = capsys.readouterr().out
    assert f"Aktuel udgivelse er nu {second.name}" in out
    assert (layout.releases_dir / "AKTUEL.txt").read_text(encoding="utf-8").strip() == second.name
    assert layout.marts_dir == second and (w / "marts").resolve() == second
    assert _area_name(w / "tryghed_katalog.duckdb", "101") == original
    assert (w / "tryghed_marts.xlsx").read_bytes() == (second / "tryghed_marts.xlsx").read_bytes()
    newest = max((w / "reports" / "AP").glob("status_*.html"), key=lambda p: p.stat().st_mtime)
    report = newest.read_text(encoding="utf-8")
    assert "22222222-aaaa-4000-8000-000000000002" in report  # the report is rebuilt from the current release
    assert third.is_dir()  # nothing is deleted

    assert main(["releases", "--warehouse", str(w)]) == 0
    current = [line for line in capsys.readouterr().out.splitlines() if line.startswith("*")]
    assert len(current) == 1 and second.name in current[0]

    # --to a named release, here forward again to the newest
    assert main(["rollback", "--to", third.name, "--warehouse", str(w)]) == 0
    capsys.readouterr()
    assert layout.marts_dir == third and _area_name(w / "tryghed_katalog.duckdb", "101") == "Ny by"


def test_rollback_refuses_in_one_line_and_changes_nothing(warehouse_copy, capsys):
    w = warehouse_copy
    layout = WarehouseLayout(w)
    only = layout.marts_dir
    for old in layout.releases_dir.iterdir():  # keep just the current release
        if old.is_dir() and old != only:
            shutil.rmtree(old)
    catalog_before = (w / "tryghed_katalog.duckdb").read_bytes()

    assert main(["rollback", "--warehouse", str(w)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "ingen før" in err[0] and only.name in err[0]
    assert main(["rollback", "--to", "19990101T000000_ukendt", "--warehouse", str(w)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "19990101T000000_ukendt" in err[0] and only.name in err[0]

    # an incomplete release is never made current
    broken = layout.releases_dir / "20000101T000000_brudt000"
    shutil.copytree(only, broken)
    (broken / "fct_tryghed.parquet").unlink()
    assert main(["rollback", "--to", broken.name, "--warehouse", str(w)]) == 1
    assert "fct_tryghed.parquet" in capsys.readouterr().err
    assert layout.marts_dir == only and (w / "tryghed_katalog.duckdb").read_bytes() == catalog_before


def test_the_pointer_is_written_last_so_an_interrupted_rollback_leaves_the_current_release(
        warehouse_copy, monkeypatch):
    from assets.publish import releases

    w = warehouse_copy
    layout = WarehouseLayout(w)
    _publish_again(w, "44444444-cccc-4000-8000-000000000004")
    newest = layout.marts_dir

    def crash(*_args):
        raise OSError("strømmen gik")

    with monkeypatch.context() as patch:
        patch.setattr(releases, "_write_pointer", crash)
        with pytest.raises(OSError):
            releases.rollback(layout)
    assert layout.marts_dir == newest  # the code still reads the newest release, whole
    _before, now = releases.rollback(layout)  # and the rollback, done again, puts everything in step
    assert layout.marts_dir == now.path != newest
    assert (w / "tryghed_katalog.duckdb").read_bytes() == (now.path / "tryghed_katalog.duckdb").read_bytes()


def test_pruning_keeps_the_current_release_even_when_it_is_old(warehouse_copy):
    from assets.publish import releases

    w = warehouse_copy
    layout = WarehouseLayout(w)
    for n in (5, 6):
        _publish_again(w, f"{n}{n}{n}{n}{n}{n}{n}{n}-dddd-4000-8000-00000000000{n}")
    oldest = releases.list_releases(layout)[-1]
    releases.rollback(layout, to=oldest.name)
    releases.prune(layout, keep=1)
    kept = {r.name for r in releases.list_releases(layout)}
    assert oldest.name in kept and len(kept) == 2
    assert layout.marts_dir == oldest.path
