"""Publishing as the data team lives with it: a crash mid-publish loses nothing, two runs on the same inbox
publish the same figures, and the inbox sensor starts a run only when a file changed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from assets.foundation.dbt_project import mart_names
from tests.conftest import current_release

MARTS = mart_names()

# run-dependent by design: when the baseline was computed
RUN_DEPENDENT_COLUMNS = {"baseline_2024": ["beregnet"], "baseline": ["beregnet"]}


def _contents(warehouse: Path) -> dict[str, pd.DataFrame]:
    frames = {}
    for mart in MARTS:
        frame = pd.read_parquet(current_release(warehouse) / f"{mart}.parquet")
        frame = frame.drop(columns=RUN_DEPENDENT_COLUMNS.get(mart, []))
        frames[mart] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    return frames


def _bytes(warehouse: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(current_release(warehouse).iterdir())}


def test_sigkill_while_publishing_keeps_the_previous_marts_then_the_next_run_completes(pipeline, tmp_path):
    source_inbox, source_warehouse, _marts, _ = pipeline
    # on a copy of the session's inbox and warehouse: the runs here would add runs and a release to it
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    shutil.copytree(source_inbox, inbox)
    shutil.copytree(source_warehouse, warehouse, symlinks=True)
    before_bytes = _bytes(warehouse)
    before = _contents(warehouse)
    releases = warehouse / "udgivelser"
    env = {**os.environ, "TRYGHED_TEST_PUBLISH_PAUSE": "60"}
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "run", "--inbox", str(inbox), "--warehouse", str(warehouse)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        building: list[Path] = []
        while time.monotonic() < deadline and process.poll() is None:
            building = [d for d in releases.glob(".*.bygges") if len(list(d.glob("*.parquet"))) >= len(MARTS) // 2]
            if building:
                break
            time.sleep(0.2)
        assert building, "the run never reached the middle of publishing"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()

    # a reader sees the previous release, complete and byte-identical, through the files and the catalog
    assert _bytes(warehouse) == before_bytes
    catalog = duckdb.connect(str(warehouse / "tryghed_katalog.duckdb"), read_only=True)
    for mart in MARTS:
        assert catalog.execute(f"select count(*) from {mart}").fetchone()[0] == len(before[mart])
    catalog.close()

    # the next run completes, cleans up the half-written release and publishes the same figures; it runs as
    # the command does (the console entry, which ends the process at its last exit handler: exit code,
    # output and every file of the run's last steps are there)
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run", "--inbox", str(inbox), "--warehouse", str(warehouse)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Udgivet i" in done.stdout and "Kørslen i Dagster UI" in done.stdout
    assert list((warehouse / "reports").glob("*/status_*.pdf")), "the PDFs printed after the run are written"
    assert (warehouse / "docs" / "quality" / "index.html").exists()
    assert not list(releases.glob(".*.bygges"))
    after = _contents(warehouse)
    for mart in MARTS:
        pd.testing.assert_frame_equal(after[mart], before[mart], check_exact=True, obj=mart)


def test_inbox_sensor_starts_a_run_only_for_a_changed_inbox(pipeline, monkeypatch, tmp_path):
    from orchestration.triggers import indbakke_sensor

    inbox, warehouse, _marts, _ = pipeline
    monkeypatch.setenv("TRYGHED_INBOX", str(inbox))
    monkeypatch.setenv("TRYGHED_WAREHOUSE", str(warehouse))
    unchanged = indbakke_sensor(dg.build_sensor_context())
    assert isinstance(unchanged, dg.SkipReason)

    changed_inbox = tmp_path / "inbox"
    shutil.copytree(inbox, changed_inbox)
    plan = changed_inbox / "aktiviteter" / "tryghedsplan_2025.csv"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    monkeypatch.setenv("TRYGHED_INBOX", str(changed_inbox))
    request = indbakke_sensor(dg.build_sensor_context())
    assert isinstance(request, dg.RunRequest)
    assert "1 aendrede" in request.tags["aarsag"]
    # only the plan's year is rebuilt, as one run over a partition range
    assert request.tags["dagster/asset_partition_range_start"] == "2025"
    assert request.tags["dagster/asset_partition_range_end"] == "2025"
    again = indbakke_sensor(dg.build_sensor_context())
    assert again.run_key == request.run_key  # the same inbox state never starts two runs


@pytest.mark.parametrize("name", ["aarlig_opdatering"])
def test_yearly_schedule_is_off_by_default(name):
    from orchestration.definitions import defs

    schedule = defs.resolve_schedule_def(name)
    assert schedule.cron_schedule == "0 6 1 4 *"
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2027, 4, 1, 6, 0))
    request = schedule.evaluate_tick(context).run_requests[0]
    # the spring refresh rebuilds every year, 2014 to the current one, in one run
    assert request.tags["dagster/asset_partition_range_start"] == "2014"
    assert request.tags["dagster/asset_partition_range_end"] == "2027"
    assert request.tags["tryghed/full_refresh"] == "true"


def test_affected_years_come_from_file_names():
    from orchestration.triggers import affected_years

    def years(nye=(), aendrede=(), fjernede=()):
        return affected_years({"nye": list(nye), "aendrede": list(aendrede), "fjernede": list(fjernede)})

    last = date.today().year
    assert years(nye=["police/anmeldelser_2024_rettelser.csv.gz"]) == (2024, 2024)
    assert years(nye=["police/anmeldelser_2024.csv"], aendrede=["survey_kk/tryghedsundersoegelse_2019.csv"]) == (
        2019, 2024)
    # a file without a year, or a removed file, can touch every year
    assert years(nye=["dst/STRAF11.csv"]) == (2014, last)
    assert years(fjernede=["police/anmeldelser_2019.csv"]) == (2014, last)
    # years before the first partition are clipped to it
    assert years(nye=["police/anmeldelser_2010.csv"]) == (2014, 2014)


def test_years_are_partitions_backfilled_in_one_run():
    """The dbt assets carry yearly partitions 2014 → this year and a single-run backfill policy, so a range
    launched from the UI (or `tryghed backfill`) is one run; raw loading and publishing stay unpartitioned."""
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    mart = graph.get(dg.AssetKey(["marts", "fct_kriminalitet"]))
    keys = mart.partitions_def.get_partition_keys()
    assert keys[0] == "2014" and keys[-1] == str(date.today().year)
    assert mart.backfill_policy == dg.BackfillPolicy.single_run()
    assert graph.get(dg.AssetKey(["raw", "police"])).partitions_def is None
    assert graph.get(dg.AssetKey(["publicerede_marts"])).partitions_def is None
