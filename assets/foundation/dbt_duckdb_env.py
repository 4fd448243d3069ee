"""Adapter over dbt-duckdb's private connection cache (the one place that touches it).

dbt-duckdb keeps one DuckDB environment per process (`DuckDBConnectionManager._ENV`, under `_LOCK`): it
expects one dbt command per process. This pipeline runs dbt in-process and then opens the database itself
(publishing, the next run's loaders), so the environment must be closed after each dbt command.
tests/test_adapters.py fails with a clear message if an upgrade of dbt-duckdb renames these.
"""

from __future__ import annotations


def release_database() -> None:
    """Close the DuckDB environment dbt-duckdb keeps for the process, so this process can open the file."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None
