"""The Dagster UI in a real browser, on the warehouse's own instance after a `tryghed run`.

`dagster-webserver` (what `make ui`'s `dagster dev` serves) is started on the session pipeline's warehouse
(DAGSTER_HOME = <warehouse>/.dagster, the instance `tryghed run` records into); Debian's headless Chromium
opens the asset graph, the run list, the latest CLI run and the checks of an asset, and the test asserts
that the assets' groups, their checks (Great Expectations and dbt) and the run are visible. Screenshots are
kept under the warehouse (their paths are printed). Skipped only when Chromium is not installed.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
WEBSERVER = Path(sys.executable).parent / "dagster-webserver"
GROUPS = ["raw", "seeds", "staging", "intermediate", "marts", "udgivelse", "publicering", "rapportering"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chromium(profile: Path, *args: str) -> str:
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
               "--window-size=1600,1200", "--virtual-time-budget=30000", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, f"chromium failed ({result.returncode}): {result.stderr[-2000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def ui(pipeline, tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (`make test` installs Debian's chromium)")
    inbox, warehouse, _marts, _areas = pipeline
    home = warehouse / ".dagster"
    assert (home / "dagster.yaml").is_file(), "tryghed run did not create the warehouse's Dagster instance"
    port = _free_port()
    env = {**os.environ, "DAGSTER_HOME": str(home), "TRYGHED_WAREHOUSE": str(warehouse),
           "TRYGHED_INBOX": str(inbox)}
    log = (tmp_path_factory.mktemp("webserver") / "webserver.log").open("w")
    server = subprocess.Popen(
        [str(WEBSERVER), "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{base}/server_info", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert server.poll() is None, f"dagster-webserver exited: {Path(log.name).read_text()[-3000:]}"
            assert time.monotonic() < deadline, "dagster-webserver did not answer within 180 s"
            time.sleep(1)
        yield base, warehouse, home, tmp_path_factory.mktemp("chromium_ui")
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the webserver and the code server it started
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def _latest_cli_run(home: Path):
    """The newest run `tryghed run` recorded, read from the instance itself (not through the UI)."""
    import dagster as dg

    instance = dg.DagsterInstance.from_config(str(home))
    try:
        runs = [r for r in instance.get_runs(limit=50) if r.tags.get("tryghed/kommando") == "tryghed run"]
        assert runs, "no `tryghed run` in the warehouse's instance"
        run = runs[0]
        checks = {(e.asset_key.to_user_string(), e.check_name) for e in
                  (rec.event_log_entry.dagster_event.event_specific_data
                   for rec in instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType
                                                           .ASSET_CHECK_EVALUATION, limit=1000).records)}
        return run, checks
    finally:
        instance.dispose()


def test_latest_cli_run_is_shown_with_its_assets_and_checks(ui):
    base, warehouse, home, profile = ui
    run, checks = _latest_cli_run(home)
    assert run.status.value == "SUCCESS"
    # both kinds of check were recorded with the run: GX (raw and marts) and dbt tests
    assert ("raw/police", "gx_kontrakt") in checks and ("marts/fct_tryghed", "gx_kontrakt") in checks
    assert any(name.startswith("relationships_") for _, name in checks)
    # a model's column rules are one check of the model (decision 71)
    assert ("marts/dim_omraade", "kolonneregler_dim_omraade_") in checks

    runs_page = chromium(profile, "--dump-dom", f"{base}/runs")
    assert run.run_id[:8] in runs_page, "the CLI run is not in the UI's run list"

    run_page = chromium(profile, "--dump-dom", f"{base}/runs/{run.run_id}")
    assert "Success" in run_page and "tryghed_alt" in run_page
    for text in ("publicerede_marts", "statusrapport", "gx_raw_tabeller", "gx_kontrakt"):
        assert text in run_page, f"{text} not visible on the run's page"

    police_checks = chromium(profile, "--dump-dom", f"{base}/assets/raw/police?view=checks")
    assert "gx_kontrakt" in police_checks and "gx_ukortlagt_gerningskode" in police_checks
    dbt_name = next(name for key, name in sorted(checks)
                    if key == "intermediate/int_anmeldelser_dedupliceret" and name.startswith("relationships_"))
    dbt_checks = chromium(profile, "--dump-dom", f"{base}/assets/intermediate/int_anmeldelser_dedupliceret?view=checks")
    assert dbt_name[:40] in dbt_checks, "the dbt test is not shown as a check of its model"
    assert "kolonneregler_int_anmeldelser_dedupliceret_" in dbt_checks, "the model's column rules are not shown"

    shot = warehouse / "dagster_ui_koersel.png"
    shot.unlink(missing_ok=True)
    chromium(profile, "--hide-scrollbars", f"--screenshot={shot}", f"{base}/runs/{run.run_id}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"screenshot of the CLI run in the Dagster UI: {shot}")


def test_asset_graph_shows_every_stage(ui):
    base, warehouse, _home, profile = ui
    graph = chromium(profile, "--dump-dom", f"{base}/asset-groups")
    missing = [group for group in GROUPS if f">{group}<" not in graph]
    assert not missing, f"asset groups missing from the asset graph: {missing}"
    shot = warehouse / "dagster_ui_aktivgraf.png"
    shot.unlink(missing_ok=True)
    chromium(profile, "--hide-scrollbars", f"--screenshot={shot}", f"{base}/asset-groups")
    assert shot.stat().st_size > 10_000
    print(f"screenshot of the asset graph: {shot}")
