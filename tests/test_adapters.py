"""The private framework internals we lean on, one test per adapter: an upgrade of the pinned dagster,
dagster-dbt or dbt-duckdb that moves them fails here, with a message saying which adapter to fix,
instead of somewhere deep inside a run."""

from __future__ import annotations

import duckdb
import pytest


def _fail(adapter: str, detail: str) -> None:
    pytest.fail(f"{adapter}: the pinned framework changed ({detail}); update the adapter and this test")


def test_dbt_duckdb_connection_cache_is_where_the_adapter_looks(tmp_path):
    """assets/foundation/dbt_duckdb_env.py closes dbt-duckdb's per-process DuckDB environment."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    for name in ("_LOCK", "_ENV"):
        if not hasattr(DuckDBConnectionManager, name):
            _fail("assets/foundation/dbt_duckdb_env.py", f"DuckDBConnectionManager.{name} is gone")
    from assets.foundation.dbt_duckdb_env import release_database
    from assets.foundation.dbt_project import invoke
    from assets.foundation.settings import Settings

    # a real dbt command on a fresh database, then the file must be free for a writer in this process
    settings = Settings().with_paths(warehouse=tmp_path)
    result = invoke(["show", "--quiet", "--inline", "select 1 as x"], settings.dbt_vars(),
                    target_path=tmp_path / "target", database=settings.database)
    assert result.success, result.exception
    assert DuckDBConnectionManager._ENV is None  # invoke released it
    release_database()  # and a second release is harmless
    con = duckdb.connect(str(settings.database))
    con.execute("create table x as select 1")
    con.close()


def test_dagster_dbt_event_translation_and_subset_selection_exist():
    """orchestration/adapters/dagster_dbt_events.py uses dagster-dbt's event class and subset helper."""
    import inspect

    try:
        from dagster_dbt.asset_utils import get_subset_selection_for_context
        from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
    except ImportError as exc:
        _fail("orchestration/adapters/dagster_dbt_events.py", str(exc))
    params = inspect.signature(DbtCoreCliEventMessage.to_default_asset_events).parameters
    missing = {"manifest", "dagster_dbt_translator", "context", "target_path", "project"} - set(params)
    if missing:
        _fail("orchestration/adapters/dagster_dbt_events.py", f"to_default_asset_events lacks {sorted(missing)}")
    params = inspect.signature(get_subset_selection_for_context).parameters
    missing = {"context", "manifest", "select", "exclude", "selector", "dagster_dbt_translator",
               "current_dbt_indirect_selection_env"} - set(params)
    if missing:
        _fail("orchestration/adapters/dagster_dbt_events.py",
              f"get_subset_selection_for_context lacks {sorted(missing)}")


def test_dagster_partition_range_tags_exist():
    """orchestration/adapters/dagster_tags.py names the tags of a partition-range run."""
    try:
        from orchestration.adapters.dagster_tags import range_tag_names

        start, end, single = range_tag_names()
    except ImportError as exc:
        _fail("orchestration/adapters/dagster_tags.py", str(exc))
    assert (start, end, single) == ("dagster/asset_partition_range_start", "dagster/asset_partition_range_end",
                                    "dagster/partition")


def test_dagster_persistent_instance_from_the_warehouse_folder(tmp_path, monkeypatch):
    """orchestration/adapters/dagster_instance.py: the warehouse's instance from its folder and dagster.yaml."""
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    try:
        from orchestration.adapters.dagster_instance import instance_home, run_instance

        home = instance_home(tmp_path / ".dagster")
        instance = run_instance(home)
    except (ImportError, AttributeError, TypeError) as exc:
        _fail("orchestration/adapters/dagster_instance.py", f"{type(exc).__name__}: {exc}")
    try:
        assert home == tmp_path / ".dagster" and (home / "dagster.yaml").is_file()
        assert instance.is_persistent
        assert type(instance.event_log_storage).__name__ == "CachedSqliteEventLogStorage"
        assert instance.root_directory == str(home.resolve())
    finally:
        instance.dispose()
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "elsewhere"))
    assert instance_home(tmp_path / ".dagster") == tmp_path / "elsewhere"  # an explicit DAGSTER_HOME wins


def test_events_written_through_one_connection_are_read_by_dagsters_default_storage(tmp_path, monkeypatch):
    """orchestration/adapters/dagster_sqlite_events.py: a run recorded by `tryghed run`'s instance is what
    `make ui` (Dagster's default SQLite storage on the same folder) reads: the run, its events, the asset's
    latest materialization with its metadata and the check's evaluation."""
    import dagster as dg

    from orchestration.adapters.dagster_instance import run_instance

    monkeypatch.delenv("DAGSTER_HOME", raising=False)

    @dg.asset(check_specs=[dg.AssetCheckSpec("ok", asset="tabel")])
    def tabel():
        yield dg.MaterializeResult(metadata={"dagster/row_count": 7}, check_results=[dg.AssetCheckResult(passed=True)])

    home = tmp_path / ".dagster"
    instance = run_instance(home)
    try:
        assert type(instance.event_log_storage).__name__ == "CachedSqliteEventLogStorage"
        result = dg.materialize([tabel], instance=instance)
        assert result.success
        written = len(instance.all_logs(result.run_id))
        # the index's tables are asked for once, then remembered (the base class asks on every asset event)
        assert instance.event_log_storage.has_table("asset_check_executions")
        assert not instance.event_log_storage.has_table("no_such_table")
    finally:
        instance.dispose()
    default = dg.DagsterInstance.from_config(str(home))  # as `dagster dev` opens it
    try:
        assert type(default.event_log_storage).__name__ == "SqliteEventLogStorage"
        assert default.get_run_by_id(result.run_id).is_success
        assert len(default.all_logs(result.run_id)) == written > 5
        latest = default.get_latest_materialization_event(dg.AssetKey("tabel"))
        assert latest.asset_materialization.metadata["dagster/row_count"].value == 7
        check = default.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey("tabel"), "ok")])
        assert check[dg.AssetCheckKey(dg.AssetKey("tabel"), "ok")].status.value == "SUCCEEDED"
    finally:
        default.dispose()
    # a dagster.yaml with its own storage is used as it is
    (home / "dagster.yaml").write_text(f"storage:\n  sqlite:\n    base_dir: {tmp_path / 'eget'}\n")
    own = run_instance(home)
    try:
        assert type(own.event_log_storage).__name__ == "SqliteEventLogStorage"
    finally:
        own.dispose()
