"""Refresh by delivery (decision 62): `tryghed run` on an existing warehouse reconsiders only the reports of
new, changed and removed police deliveries, and its marts equal a full rebuild's of the same inbox.

One generated inbox, two warehouses: `inkrementel` is refreshed by `tryghed run` after every step (the path
under test); `fuld` is the reference, every dbt model rebuilt from scratch (`dbt build --full-refresh`, what
`tryghed run --fuld` runs) on a copy of the refreshed warehouse's database, so on the same raw tables (the
loaders keep the inbox's files as they are, refresh or not; a whole `--fuld` run would add ~15 s of GX,
publishing, report and docs per step, none of which makes a figure). Steps: (a) the next year's deliveries,
(b) a late delivery with reports of earlier years and revisions (one moving a report to another year),
(c) a changed delivery (same name, other content), (d) a removed delivery. After each, every mart of
`mart_names()` must be equal (sorted, run timestamps left out), and the incremental warehouse must have
kept its police tables (same DuckDB table, untouched reports' rows kept) rather than rebuilt them.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from assets.foundation.settings import WarehouseLayout
from tests.conftest import current_release

YEARS = (2023, 2025)
SCALE = 0.2
INCREMENTAL_TABLES = ("int_anmeldelser_dedupliceret", "int_anmeldelser_gentaget", "int_gerningssteder_placeret",
                      "int_kriminalitet_koder")
TIMESTAMPS = ("beregnet",)  # run metadata, not figures


def _run(*args: str) -> None:
    from orchestration.cli import main

    assert main(list(args)) == 0


def _marts(warehouse: Path) -> dict[str, pd.DataFrame]:
    """The published marts (Parquet) of the warehouse's current release."""
    from assets.foundation.dbt_project import mart_names

    return {mart: _comparable(pd.read_parquet(current_release(warehouse) / f"{mart}.parquet"))
            for mart in mart_names()}


def _database_marts(warehouse: Path) -> dict[str, pd.DataFrame]:
    """The marts as the database holds them, through Arrow as publishing writes them."""
    from assets.foundation.dbt_project import mart_names

    con = duckdb.connect(str(warehouse / "tryghed.duckdb"), read_only=True)
    try:
        return {mart: _comparable(con.execute(f"select * from marts.{mart}").fetch_arrow_table().to_pandas())
                for mart in mart_names()}
    finally:
        con.close()


def _comparable(df: pd.DataFrame) -> pd.DataFrame:
    """Without run timestamps, in one row order."""
    df = df.drop(columns=[c for c in TIMESTAMPS if c in df.columns])
    return df.sort_values(list(df.columns)).reset_index(drop=True)


def _rebuild_fully(inbox: Path, incremental: Path, full: Path) -> None:
    """The reference: the refreshed warehouse's database copied, every dbt model rebuilt from scratch with
    the vars `tryghed run` passes."""
    from assets.foundation.dbt_project import invoke
    from assets.foundation.settings import load_settings
    from orchestration.partitions import all_years

    shutil.rmtree(full, ignore_errors=True)
    full.mkdir(parents=True)
    for name in ("tryghed.duckdb", "tryghed.duckdb.wal"):
        if (incremental / name).exists():
            shutil.copy2(incremental / name, full / name)
    settings = load_settings(None).with_paths(inbox, full)
    result = invoke(["build", "--quiet", "--full-refresh"], settings.dbt_vars(all_years()),
                    target_path=settings.layout.dbt_target, database=settings.database)
    assert result.success, result.exception or [r.message for r in result.result.results if r.status == "error"]


def _query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse / "tryghed.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _table_oids(warehouse: Path) -> dict[str, int]:
    names = ", ".join(f"'{t}'" for t in INCREMENTAL_TABLES)
    return dict(_query(warehouse, f"select table_name, table_oid from duckdb_tables() "
                                  f"where schema_name = 'intermediate' and table_name in ({names})"))


def _read_police(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False,
                       compression="gzip" if path.suffix == ".gz" else None)


def _write_police(df: pd.DataFrame, path: Path) -> None:
    text = df.to_csv(sep=";", index=False)
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    else:
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory):
    import samplegen

    root = tmp_path_factory.mktemp("levering")
    generated, inbox = root / "genereret", root / "inbox"
    samplegen.generate(generated, years=YEARS, scale=SCALE)
    held_back = []
    for f in sorted(generated.rglob("*")):
        if f.is_file():
            target = inbox / f.relative_to(generated)
            target.parent.mkdir(parents=True, exist_ok=True)
            (held_back.append((f, target)) if f"_{YEARS[1]}" in f.name else shutil.copy2(f, target))
    incremental, full = root / "inkrementel", root / "fuld"
    _run("run", "--inbox", str(inbox), "--warehouse", str(incremental))  # the first build is a full one
    return inbox, held_back, incremental, full


def _refresh_and_compare(inbox: Path, incremental: Path, full: Path) -> tuple[set[str], int]:
    """Refresh `incremental`, rebuild `full`; the marts must be equal. Returns the reconsidered reports."""
    before = _table_oids(incremental)
    winners = "select journalnr, kildefil, kildelinje from intermediate.int_anmeldelser_dedupliceret"
    kept = _query(incremental, winners)
    _run("run", "--inbox", str(inbox), "--warehouse", str(incremental))
    results = json.loads((WarehouseLayout(incremental).dbt_target / "run_results.json").read_text())
    _rebuild_fully(inbox, incremental, full)
    a, b = _marts(incremental), _database_marts(full)
    assert a.keys() == b.keys()
    for mart in b:
        pd.testing.assert_frame_equal(a[mart], b[mart], check_exact=True, obj=mart)
    # the incremental path was taken: the same tables, not rebuilt ones, and every build step succeeded
    assert _table_oids(incremental) == before
    assert all(r["status"] in ("success", "pass", "warn", "no-op") for r in results["results"])
    reconsidered = {r[0] for r in _query(incremental, "select journalnr from intermediate.int_anmeldelser_aendringer")}
    assert None not in reconsidered  # not the "everything" marker of a full build
    now = set(_query(incremental, winners))
    untouched = {row for row in kept if row[0] not in reconsidered}
    assert untouched <= now  # every report not reconsidered kept its row
    # and the incremental warehouse's police tables equal the full rebuild's
    for table in ("int_anmeldelser_dedupliceret", "int_anmeldelser_gentaget", "int_anmeldelser_revisioner",
                  "int_kriminalitet_koder"):
        sql = f"select * from intermediate.{table} order by all"
        assert _query(incremental, sql) == _query(full, sql), table
    return reconsidered, len(kept)


def test_a_new_year(warehouses):
    inbox, held_back, incremental, full = warehouses
    for source, target in held_back:
        shutil.copy2(source, target)
    reconsidered, total = _refresh_and_compare(inbox, incremental, full)
    new = set()
    for source, _ in held_back:
        if source.parent.name == "police":
            new |= set(_read_police(source)["journalnr"].str.strip())
    assert reconsidered == new  # exactly the reports of the new deliveries
    assert len(reconsidered) < total


def test_b_late_delivery_with_earlier_years_and_revisions(warehouses):
    inbox, _, incremental, full = warehouses
    police = inbox / "police"
    main = _read_police(police / f"anmeldelser_{YEARS[0] + 1}.csv.gz")
    # late registrations of earlier years (new journal numbers), delivered with the newest year
    earlier = main.head(5).copy()
    earlier["journalnr"] = [f"0100-99999-{i:05d}-23" for i in range(5)]
    earlier["anmeldt_dato"] = f"{YEARS[0]}-11-30"
    earlier["gerning_fra"] = ""
    earlier["gerning_til"] = ""
    # revisions: other offence codes, and a report moved into the year before
    revised = main.iloc[10:16].copy()
    revised["gerningskode"] = "1320"
    revised["gerningskode_tekst"] = "Indbrud i beboelse"
    revised.loc[revised.index[:2], "anmeldt_dato"] = f"{YEARS[0]}-12-31"
    revised.loc[revised.index[:2], ["gerning_fra", "gerning_til"]] = ""
    # an exact repeat (same content, later delivery) is not a revision but counts as a delivery
    repeat = main.iloc[[20]].copy()
    late = pd.concat([earlier, revised, repeat])
    late["leveret_dato"] = f"{YEARS[1] + 1}-03-01"
    _write_police(late, police / f"anmeldelser_{YEARS[1]}_sene.csv")
    reconsidered, _ = _refresh_and_compare(inbox, incremental, full)
    assert reconsidered == set(late["journalnr"])
    moved = _query(incremental, "select count(*) from intermediate.int_anmeldelser_revisioner where flyttet_aar")[0][0]
    assert moved >= 2


def test_c_changed_delivery(warehouses):
    inbox, _, incremental, full = warehouses
    path = inbox / "police" / f"anmeldelser_{YEARS[0] + 1}_rettelser.csv.gz"
    rows = _read_police(path)
    changed = rows.iloc[5:].copy()  # the first five rows are withdrawn
    changed.iloc[0, changed.columns.get_loc("gerningskode")] = "1220"
    changed.iloc[0, changed.columns.get_loc("gerningskode_tekst")] = "Simpel vold"
    _write_police(changed, path)
    reconsidered, _ = _refresh_and_compare(inbox, incremental, full)
    assert set(rows["journalnr"]) <= reconsidered


def test_d_removed_delivery(warehouses):
    inbox, _, incremental, full = warehouses
    police = inbox / "police"
    removed = [police / f"anmeldelser_{YEARS[1]}_sene.csv", police / f"anmeldelser_{YEARS[0]}_foreloebig.csv.gz"]
    journalnumre = set()
    for path in removed:
        journalnumre |= set(_read_police(path)["journalnr"])
        path.unlink()
    reconsidered, _ = _refresh_and_compare(inbox, incremental, full)
    assert reconsidered == journalnumre


def test_e_when_the_build_is_a_full_one(warehouses):
    """A state of another dbt project, vars or contract, an unfinished build and `--fuld` rebuild everything."""
    from assets.foundation import refresh
    from assets.foundation.settings import Settings

    _, _, incremental, _ = warehouses
    settings = Settings().with_paths(warehouse=incremental)
    vars_ = settings.dbt_vars()
    other_vars = {**vars_, "minimum_svar": 31}
    assert not refresh.plan_refresh(settings.database, vars_).full
    unfinished = refresh.plan_refresh(settings.database, vars_)  # the first call marked the state stale
    assert unfinished.full and "ikke færdig" in unfinished.reason
    refresh.mark_built(settings.database, unfinished)
    assert not refresh.plan_refresh(settings.database, {**vars_, "fra_aar": 2024, "til_aar": 2024}).full  # a window
    refresh.mark_built(settings.database, unfinished)
    assert refresh.plan_refresh(settings.database, other_vars).full
    refresh.mark_built(settings.database, unfinished)
    assert refresh.plan_refresh(settings.database, vars_, forced=True).full
    refresh.mark_built(settings.database, unfinished)
    assert refresh.fingerprint(vars_, "kontrakt:a") != refresh.fingerprint(vars_, "kontrakt:b")
