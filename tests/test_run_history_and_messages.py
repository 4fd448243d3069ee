"""Run history in the warehouse's Dagster instance (issue 14, item 1) and messages a person can act on
(item 3). The expected figures are computed from the inbox files and the published Parquet files, not
from the code that writes the metadata."""

from __future__ import annotations

import csv
import gzip
import io
import logging
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.ingest.raw_schema import create_empty_raw_schema


# --- item 1: the run in the warehouse's own instance ------------------------------------------------------
@pytest.fixture(scope="module")
def history(pipeline):
    inbox, warehouse, marts, _areas = pipeline
    instance = dg.DagsterInstance.from_config(str(warehouse / ".dagster"))
    runs = [r for r in instance.get_runs(limit=50) if r.tags.get("tryghed/kommando") == "tryghed run"]
    assert runs, "tryghed run recorded nothing in <warehouse>/.dagster"
    run = runs[-1]  # the session pipeline's own run (the oldest CLI run of this warehouse)
    records = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION,
                                           limit=5000).records
    mats: dict[str, list] = {}
    for record in records:
        mat = record.event_log_entry.dagster_event.event_specific_data.materialization
        mats.setdefault(mat.asset_key.to_user_string(), []).append(mat)
    yield inbox, warehouse, marts, run, mats
    instance.dispose()


def _data_lines(folder: Path) -> int:
    total = 0
    for path in folder.iterdir():
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        total += sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")) - 1
    return total


def test_cli_run_recorded_with_row_counts(history):
    inbox, _warehouse, marts, run, mats = history
    assert run.status == dg.DagsterRunStatus.SUCCESS
    [police] = mats["raw/police"]
    assert police.metadata["dagster/row_count"].value == _data_lines(inbox / "police")
    assert "rows" not in police.metadata
    for mart in ("fct_tryghed", "fct_maalopfyldelse", "dim_omraade"):
        counts = {m.metadata["dagster/row_count"].value for m in mats[f"marts/{mart}"]}
        assert counts == {len(marts[mart])}, mart
    [published] = mats["publicerede_marts"]
    assert published.metadata["dagster/row_count"].value == sum(len(df) for df in marts.values())


def test_only_the_yearly_marts_have_one_materialization_per_year(history):
    _inbox, _warehouse, _marts, run, mats = history
    first = int(run.tags["dagster/asset_partition_range_start"])
    last = int(run.tags["dagster/asset_partition_range_end"])
    years = [str(y) for y in range(first, last + 1)]
    assert sorted(m.partition for m in mats["marts/fct_tryghed"]) == years
    for rebuilt_whole in ("staging/stg_police__anmeldelser", "intermediate/int_anmeldelser_dedupliceret",
                          "marts/dim_omraade", "marts/fct_maalopfyldelse"):
        assert [m.partition for m in mats[rebuilt_whole]] == [None], rebuilt_whole
    assert sum(len(v) for v in mats.values()) < 200  # ~600 when every model had 13 partitions


def test_goal_table_as_markdown_on_the_publication(history):
    _inbox, _warehouse, marts, _run, mats = history
    goals = marts["fct_maalopfyldelse"]
    year = int(goals["status_aar"].max())
    [published] = mats["publicerede_marts"]
    markdown = published.metadata["maalopfyldelse"].value
    codes = sorted(goals["partnerskab_kode"].unique())
    assert [line.split(",")[0] for line in markdown.splitlines() if line.startswith("**")] == [
        f"**Målopfyldelse {code} ({_name(marts, code)})" for code in codes]
    assert all(f"status {year}**" in line for line in markdown.splitlines() if line.startswith("**"))
    rows = [line for line in markdown.splitlines() if line.startswith("| ") and not line.startswith("| mål")]
    expected = goals.loc[goals["status_aar"] == year]
    assert sorted(r.split(" | ")[0][2:] for r in rows) == sorted(expected["maal_id"])


def _name(marts, code: str) -> str:
    areas = marts["dim_omraade"]
    current = areas[(areas["niveau"] == "partnerskab") & areas["gyldig_til"].isna()
                    & (areas["partnerskab_kode"] == code)]
    return current["navn"].iloc[0]


def test_groups_by_stage_owners_and_code_versions():
    from orchestration.dbt_assets import tryghed_dbt_assets
    from orchestration.definitions import ALL_ASSETS

    groups = {spec.key.path[-1]: spec.group_name for spec in tryghed_dbt_assets.specs}
    assert (groups["stg_police__anmeldelser"], groups["int_omraader"], groups["fct_tryghed"],
            groups["udgivelse_omraader"], groups["gerningskoder"]) == (
        "staging", "intermediate", "marts", "udgivelse", "seeds")
    for assets_def in ALL_ASSETS:
        for spec in assets_def.specs:
            assert spec.owners == ["team:sikker-by"], spec.key
            assert spec.code_version, spec.key
    partitioned = sorted(s.key.path[-1] for s in tryghed_dbt_assets.specs if s.partitions_def is not None)
    assert partitioned == sorted(p.stem for p in Path("dbt_project/models/marts").glob("*.sql")
                                 if "materialized='incremental'" in p.read_text())


# --- item 3: messages ------------------------------------------------------------------------------------
def _police_row(journalnr: str, code: int) -> tuple:
    return (journalnr, "2024-03-01", None, None, code, "x", 101, 720000.0, 6175000.0, "2025-01-20",
            "police/anmeldelser_2024.csv", "abc", 2, "2025-01-21")


def test_unmapped_codes_and_dst_without_copenhagen_in_danish_with_counts(tmp_path):
    from expectations.runner import validate_tables

    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    create_empty_raw_schema(con)
    codes = [9998] * 3 + [9997] * 2 + [1320] * 4
    con.executemany("insert into raw.police values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [_police_row(f"J{i}", c) for i, c in enumerate(codes)])
    con.executemany("insert into raw.dst_folk1a (omraade, koen, alder, civilstand, tid, indhold, kildefil, "
                    "kilde_sha256, kildelinje, indlaest) values (?, 'TOT', 'IALT', null, ?, 100, "
                    "'dst/FOLK1A.csv', 'x', ?, '2025-01-01')",
                    [("147", f"{2014 + i}K1", i + 2) for i in range(3)])
    con.close()
    results = validate_tables(db, ["raw.police", "raw.dst_folk1a"])

    [warning] = [o for o in results["raw.police"].warnings if o.check_name == "gx_ukortlagt_gerningskode"]
    assert "5 anmeldelser" in warning.description
    assert "9998 (3), 9997 (2)" in warning.description
    assert "gerningskoder.csv" in warning.description
    [error] = [o for o in results["raw.dst_folk1a"].errors if o.expectation.startswith("expect_column_distinct")]
    assert "Københavns Kommune (område 101)" in error.description
    assert "dst/FOLK1A.csv har 3 rækker for områderne 147" in error.description
    assert "tryghed fetch dst FOLK1A" in error.description


def test_failing_dbt_test_named_in_danish_with_its_first_rows(tmp_path):
    from orchestration.dbt_messages import describe_test, first_rows

    db = tmp_path / "t.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create table koder as select * from (values (9998), (9998), (9997), (1320)) as t(kode)")
    con.close()
    rows = first_rows(db, "select kode as from_field from koder where kode > 9000")
    node = {"name": "relationships_x", "config": {"severity": "ERROR"},
            "test_metadata": {"name": "relationships", "kwargs": {
                "column_name": "gerningskode", "to": "ref('gerningskoder')", "field": "gerningskode",
                "model": "{{ get_where_subquery(ref('int_anmeldelser_dedupliceret')) }}"}}}
    assert describe_test(node, 3, rows) == (
        "dbt-test på int_anmeldelser_dedupliceret: 'gerningskode' skal findes i gerningskoder.gerningskode "
        "– 3 rækker bryder den; de første: gerningskode=9998, antal=2; gerningskode=9997, antal=1")


def _job(op_fn):
    return dg.GraphDefinition(name="g", node_defs=[dg.op(name="trin")(op_fn)]).to_job()


def test_progress_shows_log_warnings_and_check_descriptions():
    from orchestration.cli.progress import ProgressHandler, progress_logger

    stream = io.StringIO()
    handler = ProgressHandler(stream=stream)

    @dg.asset(check_specs=[dg.AssetCheckSpec("regel", asset="a")])
    def a(context):
        context.log.warning("statusrapport: ingen tal; ingen rapport skrevet")
        yield dg.Output(1)
        yield dg.AssetCheckResult(check_name="regel", passed=False, severity=dg.AssetCheckSeverity.WARN,
                                  description="Politiets udtræk: 3 anmeldelser med ukendt kode: 9998 (3).")

    defs = dg.Definitions(assets=[a], jobs=[dg.define_asset_job("j")], loggers={"p": progress_logger(handler)})
    defs.resolve_job_def("j").execute_in_process(run_config={"loggers": {"p": {}}})
    out = stream.getvalue()
    assert "  ! advarsel: statusrapport: ingen tal; ingen rapport skrevet" in out
    assert "  ! advarsel: Politiets udtræk: 3 anmeldelser med ukendt kode: 9998 (3)." in out
    assert handler.warnings == ["statusrapport: ingen tal; ingen rapport skrevet",
                                "Politiets udtræk: 3 anmeldelser med ukendt kode: 9998 (3)."]


def test_every_traceback_saved_under_logs(tmp_path):
    from orchestration.cli.run import save_step_tracebacks

    def fails():
        return 1 / 0

    logging.getLogger("dagster").setLevel(logging.CRITICAL)
    result = _job(fails).execute_in_process(raise_on_error=False)
    [path] = save_step_tracebacks(tmp_path / "logs", result)
    assert path.parent == tmp_path / "logs" and path.name.startswith("traceback_")
    text = path.read_text()
    assert "ZeroDivisionError" in text and "return 1 / 0" in text


def test_gx_worker_failure_keeps_its_traceback(tmp_path):
    from expectations.worker import ValidationError, ValidationWorker

    worker = ValidationWorker(tmp_path / "logs")
    try:
        with pytest.raises(ValidationError) as raised:
            worker.validate(tmp_path / "missing" / "no.duckdb", ["raw.police"], None)
    finally:
        worker.stop()
    assert "Traceback (most recent call last)" in str(raised.value)
    assert (tmp_path / "logs" / "gx_worker.log").read_text().count("Traceback") >= 1
