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
                    target_path=tmp_path / "target")
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
        assert type(instance.event_log_storage).__name__ == "SqliteEventLogStorage"
        assert instance.root_directory == str(home.resolve())
    finally:
        instance.dispose()
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "elsewhere"))
    assert instance_home(tmp_path / ".dagster") == tmp_path / "elsewhere"  # an explicit DAGSTER_HOME wins
