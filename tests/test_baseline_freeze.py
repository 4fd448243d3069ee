"""Freezing the 2024 baseline: `freeze()` on hand-written marts and a temporary seed, and once end to end.

No test writes the committed seed: the unit tests pass a seed path under tmp_path, and the end-to-end test
gives dbt (and freeze) a copy of the project's seeds folder (assets.foundation.dbt_project.SEEDS_DIR, which
reaches dbt as the var seeds_dir), so it runs beside the other tests.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from shapely.geometry import shape

from assets.commands import baseline
from assets.commands.baseline import COLUMNS, AlreadyFrozen, BaselineError, freeze, frozen_versions
from assets.foundation.settings import Settings

TYPER = ["Antal anmeldelser af borgervendt kriminalitet", "Indbrud", "Tyveri/Røveri", "Vold/Våben"]
GRUPPER = ["borgervendt_i_alt", "fokus_indbrud", "fokus_tyveri_roeveri", "fokus_vold_vaaben"]
HEADER = ";".join(COLUMNS) + "\n"
COMPUTED_AT = datetime(2026, 3, 1, 12, 30, 15, 123456)
# rates with full double precision, so the round trip through the seed text is tested
VALUES = {"Antal anmeldelser af borgervendt kriminalitet": (1174, 22.239060428111383), "Indbrud": (108, 2.0458),
          "Tyveri/Røveri": (432, 8.183333333333334), "Vold/Våben": (142, 2.6899999999999995)}


def _mart_rows(values: dict, version: str, fastfrosset: bool) -> list[dict]:
    return [
        {"gerningstype": t, "maal": "Minimum fastholdelse", "baseline_antal": values[t][0],
         "baseline_pr_1000": values[t][1], "omraade_kode": "AP", "version": version, "beregnet": COMPUTED_AT,
         "fastfrosset": fastfrosset}
        for t in TYPER
    ]


def _write_mart(warehouse: Path, rows: list[dict]) -> None:
    """A published baseline_2024.parquet with the mart's column types (as publish.py writes it)."""
    schema = pa.schema([("gerningstype", pa.string()), ("maal", pa.string()), ("baseline_antal", pa.int64()),
                        ("baseline_pr_1000", pa.float64()), ("omraade_kode", pa.string()),
                        ("version", pa.string()), ("beregnet", pa.timestamp("us")), ("fastfrosset", pa.bool_())])
    (warehouse / "marts").mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), warehouse / "marts" / "baseline_2024.parquet")


def _write_fct_kriminalitet(warehouse: Path, values: dict) -> None:
    rows = [{"aar": 2024, "omraade_kode": "AP", "gruppe": g, "antal_anmeldelser": values[t][0],
             "pr_1000": values[t][1]} for t, g in zip(TYPER, GRUPPER, strict=True)]
    rows.append({"aar": 2023, "omraade_kode": "AP", "gruppe": "fokus_indbrud", "antal_anmeldelser": 1,
                 "pr_1000": 0.1})
    pq.write_table(pa.Table.from_pylist(rows), warehouse / "marts" / "fct_kriminalitet.parquet")


@pytest.fixture
def setup(tmp_path):
    warehouse = tmp_path / "warehouse"
    seed = tmp_path / "seeds" / "baseline_2024_frosset.csv"
    seed.parent.mkdir()
    seed.write_text(HEADER, encoding="utf-8")
    _write_mart(warehouse, _mart_rows(VALUES, "beregnet-0123abcd", fastfrosset=False))
    return Settings(warehouse=warehouse), seed


def test_freeze_appends_the_computed_rows_and_returns_them(setup):
    settings, seed = setup
    rows = freeze(settings, "v1", today=date(2026, 3, 2), seed_path=seed)

    assert [r["gerningstype"] for r in rows] == sorted(TYPER)
    assert all(r["version"] == "v1" and r["fastfrosset"] and r["frosset_dato"] == date(2026, 3, 2) for r in rows)
    lines = seed.read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER.strip() and len(lines) == 5
    assert "Indbrud;Minimum fastholdelse;108;2.0458;AP;v1;2026-03-01 12:30:15.123456;true;2026-03-02" in lines
    # what dbt will read back is exactly what was computed (full precision)
    back = frozen_versions(seed)
    assert list(back) == ["v1"]
    assert {r["gerningstype"]: (r["baseline_antal"], r["baseline_pr_1000"]) for r in back["v1"]} == VALUES
    assert all(r["beregnet"] == COMPUTED_AT for r in back["v1"])
    # atomic write: no temporary file left, permissions as before
    assert sorted(p.name for p in seed.parent.iterdir()) == ["baseline_2024_frosset.csv"]
    assert seed.stat().st_mode & 0o777 == 0o644 & ~_umask()


def test_a_version_name_is_never_reused(setup):
    settings, seed = setup
    freeze(settings, "v1", today=date(2026, 3, 2), seed_path=seed)
    before = seed.read_bytes()
    changed = {**VALUES, "Indbrud": (158, 2.9929)}
    _write_mart(settings.warehouse, _mart_rows(changed, "beregnet-ffff0000", fastfrosset=False))
    with pytest.raises(BaselineError, match="version v1 is already frozen"):
        freeze(settings, "v1", seed_path=seed)
    assert seed.read_bytes() == before


def test_identical_values_are_already_frozen_and_nothing_is_written(setup):
    settings, seed = setup
    freeze(settings, "v1", today=date(2026, 3, 2), seed_path=seed)
    before = seed.read_bytes()
    # the published mart still shows the computed version (no run since the freeze)
    with pytest.raises(AlreadyFrozen, match="already frozen as v1") as err:
        freeze(settings, "v2", seed_path=seed)
    assert err.value.version == "v1"
    assert seed.read_bytes() == before


def test_changed_data_freeze_as_a_new_version_beside_the_old(setup):
    settings, seed = setup
    freeze(settings, "v1", today=date(2026, 3, 2), seed_path=seed)
    changed = {**VALUES, "Indbrud": (158, 2.9929)}
    _write_mart(settings.warehouse, _mart_rows(VALUES, "v1", fastfrosset=True)
                + _mart_rows(changed, "beregnet-ffff0000", fastfrosset=False))
    rows = freeze(settings, "v2", today=date(2026, 4, 1), seed_path=seed)
    assert {r["gerningstype"]: r["baseline_antal"] for r in rows}["Indbrud"] == 158
    versions = frozen_versions(seed)
    assert list(versions) == ["v1", "v2"]
    assert {r["gerningstype"]: (r["baseline_antal"], r["baseline_pr_1000"]) for r in versions["v1"]} == VALUES


def test_after_a_run_that_matched_a_frozen_version_the_version_is_named(setup):
    """The mart then shows only frozen versions; fct_kriminalitet tells which one the data give."""
    settings, seed = setup
    freeze(settings, "v1", today=date(2026, 3, 2), seed_path=seed)
    changed = {**VALUES, "Indbrud": (158, 2.9929)}
    _write_mart(settings.warehouse, _mart_rows(changed, "beregnet-ffff0000", fastfrosset=False))
    freeze(settings, "v2", today=date(2026, 4, 1), seed_path=seed)
    # a run on data giving v1's values again: baseline_2024 shows v1 and v2, nothing unfrozen
    _write_mart(settings.warehouse, _mart_rows(VALUES, "v1", True) + _mart_rows(changed, "v2", True))
    _write_fct_kriminalitet(settings.warehouse, VALUES)
    before = seed.read_bytes()
    with pytest.raises(AlreadyFrozen, match="already frozen as v1"):
        freeze(settings, "v3", seed_path=seed)
    assert seed.read_bytes() == before


def test_no_published_baseline(tmp_path):
    seed = tmp_path / "baseline_2024_frosset.csv"
    with pytest.raises(BaselineError, match="run `tryghed run` first"):
        freeze(Settings(warehouse=tmp_path / "tom"), "v1", seed_path=seed)
    assert not seed.exists()


def test_missing_seed_file_is_created_with_header(setup):
    settings, seed = setup
    seed.unlink()
    freeze(settings, "v1", today=date(2026, 3, 2), seed_path=seed)
    assert seed.read_text(encoding="utf-8").startswith(HEADER)
    assert len(frozen_versions(seed)["v1"]) == 4


def test_incomplete_baseline_is_refused(setup):
    settings, seed = setup
    _write_mart(settings.warehouse, _mart_rows({**VALUES, "Indbrud": (108, None)}, "beregnet-1", False))
    with pytest.raises(BaselineError, match="no value for Indbrud"):
        freeze(settings, "v1", seed_path=seed)
    assert seed.read_text(encoding="utf-8") == HEADER


@pytest.mark.parametrize("name", ["", "v 1", "v1;x", "beregnet-0123abcd", "-v", "æ1", "x" * 65])
def test_bad_version_names(setup, name):
    settings, seed = setup
    with pytest.raises(BaselineError, match="version name"):
        freeze(settings, name, seed_path=seed)
    assert seed.read_text(encoding="utf-8") == HEADER


def test_seed_with_other_columns_is_refused(setup):
    settings, seed = setup
    seed.write_text("version;gerningstype\n", encoding="utf-8")
    with pytest.raises(BaselineError, match="expected"):
        freeze(settings, "v1", seed_path=seed)


def test_committed_seed_has_the_expected_header():
    """The committed seed must be readable by freeze() (and dbt's column_types match COLUMNS)."""
    frozen_versions(baseline.SEED_PATH)


def test_cli_prints_rows_or_one_line_errors(setup, monkeypatch, capsys):
    settings, seed = setup
    monkeypatch.setattr(baseline, "SEED_PATH", seed)
    monkeypatch.setattr(baseline, "freeze", lambda s, v: freeze(s, v, date(2026, 3, 2), seed_path=seed))
    assert baseline.main_baseline_freeze(settings, "v1") == 0
    out = capsys.readouterr().out
    assert "fastfrosset som v1" in out and "Indbrud" in out and "22,24" in out
    assert baseline.main_baseline_freeze(settings, "v2") == 0
    assert "already frozen as v1" in capsys.readouterr().out
    assert baseline.main_baseline_freeze(settings, "v1") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already frozen" in err


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- end to end: two runs of the pipeline around a freeze (the first is the session's `pipeline` run) -------

EXTRA_BURGLARIES = 50


@pytest.fixture
def frozen_seed(tmp_path, monkeypatch):
    """The frozen seed as dbt and freeze() read it in this test: in a copy of the project's seeds folder,
    emptied; the committed seed is never written (checked afterwards, byte for byte)."""
    from assets.foundation import dbt_project

    committed = dbt_project.PROJECT_SEEDS_DIR / baseline.SEED_PATH.name
    before = committed.read_bytes()
    seeds = tmp_path / "seeds"
    shutil.copytree(dbt_project.PROJECT_SEEDS_DIR, seeds)
    seed = seeds / committed.name
    seed.write_text(HEADER, encoding="utf-8")
    monkeypatch.setattr(dbt_project, "SEEDS_DIR", seeds)
    monkeypatch.setattr(baseline, "SEED_PATH", seed)
    yield seed
    assert committed.read_bytes() == before


def test_end_to_end_frozen_version_survives_changed_data(pipeline, tmp_path, frozen_seed, monkeypatch):
    from assets.foundation.dbt_project import PROJECT_SEEDS_DIR
    from orchestration.cli import main

    # the first run is the session's (a generated 2023–2025 inbox, run with the committed seed, which holds
    # no frozen version): a copy of its inbox and warehouse is the state right after that run
    source_inbox, source_warehouse, _marts, _areas = pipeline
    assert frozen_versions(PROJECT_SEEDS_DIR / frozen_seed.name) == {}
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    shutil.copytree(source_inbox, inbox)
    shutil.copytree(source_warehouse, warehouse, symlinks=True)
    settings = Settings(inbox=inbox, warehouse=warehouse)
    first = _read(warehouse, "baseline_2024")
    assert len(first) == 4 and not first["fastfrosset"].any()
    assert first["version"].str.startswith("beregnet-").all()

    v1 = freeze(settings, "v1", today=date(2026, 3, 2), seed_path=frozen_seed)
    v1_values = {r["gerningstype"]: (r["baseline_antal"], r["baseline_pr_1000"]) for r in v1}
    assert v1_values == {r.gerningstype: (r.baseline_antal, r.baseline_pr_1000) for r in first.itertuples()}
    with pytest.raises(AlreadyFrozen, match="already frozen as v1"):
        freeze(settings, "v2", seed_path=frozen_seed)
    # the same data again (dbt only, not a whole run): the computed version equals v1 and is not repeated
    unchanged = _dbt_build_baseline_only(settings, tmp_path / "dbt_target", monkeypatch)
    assert set(unchanged["version"]) == {"v1"} and unchanged["fastfrosset"].all() and len(unchanged) == 4

    # 2024 changes after the freeze: a late delivery of burglaries inside the partnership area
    doc = json.loads((inbox / "geo" / "omraader.geojson").read_text(encoding="utf-8"))
    ap = next(shape(f["geometry"]) for f in doc["features"] if f["properties"]["omraade_kode"] == "AP")
    point = ap.representative_point()
    lines = [f"0100-99998-{i:05d}-24;2024-05-{1 + i % 28:02d};;;1320;Indbrud i beboelse;101;"
             f"{point.x:.0f};{point.y:.0f};2025-02-01" for i in range(EXTRA_BURGLARIES)]
    (inbox / "police" / "anmeldelser_2024_sen.csv").write_text(
        "journalnr;anmeldt_dato;gerning_fra;gerning_til;gerningskode;gerningskode_tekst;kommunekode;"
        "x_utm32;y_utm32;leveret_dato\n" + "\n".join(lines) + "\n", encoding="utf-8")
    assert main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)]) == 0

    second = _read(warehouse, "baseline_2024")
    frozen = second[second["fastfrosset"]]
    assert set(frozen["version"]) == {"v1"}
    assert {r.gerningstype: (r.baseline_antal, r.baseline_pr_1000) for r in frozen.itertuples()} == v1_values
    new = second[~second["fastfrosset"]]
    assert len(new) == 4 and new["version"].nunique() == 1 and new["version"].iloc[0].startswith("beregnet-")
    indbrud_v1 = v1_values["Indbrud"][0]
    assert new.set_index("gerningstype").loc["Indbrud", "baseline_antal"] == indbrud_v1 + EXTRA_BURGLARIES

    # status 2025 holds police year 2024, the baseline year: shown against the frozen baseline, not judged
    status = _read(warehouse, "fct_maalopfyldelse").query("partnerskab_kode == 'AP'")
    status = status.set_index(["status_aar", "maal_id"])
    goal_2b = status.loc[(2025, "2b")]
    assert goal_2b["maalvaerdi"] == indbrud_v1 and goal_2b["vaerdi"] == indbrud_v1 + EXTRA_BURGLARIES
    assert pd.isna(goal_2b["opfyldt"]) and goal_2b["maalingsaar"] == 2024
    assert goal_2b["baseline_version"] == "v1" and goal_2b["baseline_fastfrosset"]
    assert status.loc[(2025, "2a"), "maalvaerdi"] == pytest.approx(v1_values[TYPER[0]][1], abs=0)
    assert pd.isna(status.loc[(2025, "3"), "baseline_fastfrosset"])
    crime = _read(warehouse, "fct_kriminalitet").set_index(["aar", "omraade_kode", "gruppe"])
    assert crime.loc[(2025, "AP", "fokus_indbrud"), "baseline_2024_antal"] == indbrud_v1
    assert crime.loc[(2025, "AP", "fokus_indbrud"), "baseline_version"] == "v1"
    # areas without a frozen baseline keep the computed one
    assert not crime.loc[(2025, "AP_OPR", "fokus_indbrud"), "baseline_fastfrosset"]

    # a frozen row whose crime type no partnership goal names (a label renamed in the partnership's file)
    # is a warning of the seed's relationships test, not an error: the frozen history stays loadable
    assert _relationship_status(settings, tmp_path / "dbt_target") == "pass"
    row = frozen_seed.read_text(encoding="utf-8").splitlines()[1].split(";")
    row[0], row[5] = "Indbrud (omdøbt)", "v0"
    with frozen_seed.open("a", encoding="utf-8") as fh:
        fh.write(";".join(row) + "\n")
    assert _relationship_status(settings, tmp_path / "dbt_target") == "warn"


def _relationship_status(settings: Settings, target: Path) -> str:
    """Load the frozen seed and run its tests; the status of its test against the partnerships' goals."""
    from assets.foundation.dbt_project import invoke

    result = invoke(["build", "--quiet", "--select", "baseline_2024_frosset"], settings.dbt_vars(),
                    target_path=target, database=settings.database)
    assert result.success, result.exception or result.result
    statuses = {r.node.unique_id: str(r.status) for r in result.result.results}
    return next(status for node, status in statuses.items()
                if node.startswith("test.tryghed.relationships_baseline_2024_frosset_gerningstype"))


def _dbt_build_baseline_only(settings: Settings, target: Path, monkeypatch) -> pd.DataFrame:
    """Reload the frozen seed and rebuild baseline and baseline_2024 (with their tests) in the run's database."""
    import duckdb

    from assets.foundation.dbt_project import invoke

    # invoke releases the database afterwards (dbt-duckdb keeps it open in this process otherwise)
    result = invoke(["build", "--quiet", "--select", "baseline_2024_frosset", "baseline", "baseline_2024"],
                    settings.dbt_vars(), target_path=target, database=settings.database)
    assert result.success, result.exception or result.result
    con = duckdb.connect(str(settings.database), read_only=True)
    try:
        return con.execute("select * from marts.baseline_2024").df()
    finally:
        con.close()


def _read(warehouse: Path, mart: str) -> pd.DataFrame:
    return pd.read_parquet(warehouse / "marts" / f"{mart}.parquet")
