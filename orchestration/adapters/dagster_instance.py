"""The Dagster instance for `tryghed run`: ephemeral, with an event log that reuses one connection.

Dagster's ephemeral event log is an in-memory SQLite database that opens and closes a new connection for
every event (it serves several threads in tests). A run of this pipeline writes ~600 events, so that costs
~8 s on these machines, a fifth of the whole run. Runs here write events from one thread at a time, so
the storage reuses the connection it already holds, under the same lock. It also remembers which tables
(and columns) exist: the storage asks before every asset event, and a run over 13 yearly partitions
writes ~500 of them. With DAGSTER_HOME set, the configured persistent instance is used instead (so
`make ui` sees the runs).
"""

from __future__ import annotations

import os
from contextlib import contextmanager


def run_instance():
    import dagster as dg

    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
    from dagster._core.instance import InstanceType
    from dagster._core.launcher.sync_in_memory_run_launcher import SyncInMemoryRunLauncher
    from dagster._core.run_coordinator import DefaultRunCoordinator
    from dagster._core.storage.event_log import InMemoryEventLogStorage
    from dagster._core.storage.noop_compute_log_manager import NoOpComputeLogManager
    from dagster._core.storage.root import TemporaryLocalArtifactStorage
    from dagster._core.storage.runs import InMemoryRunStorage

    class HeldConnectionEventLogStorage(InMemoryEventLogStorage):
        @contextmanager
        def _connect(self):
            with self._db_lock:
                with self._held_conn.begin():
                    yield self._held_conn

        def has_table(self, table_name: str) -> bool:
            # asked on every stored event, each time through a new connection and a PRAGMA; the tables
            # are created with the storage and never dropped, so the answer cannot change
            known = self.__dict__.setdefault("_known_tables", {})
            if table_name not in known:
                known[table_name] = super().has_table(table_name)
            return known[table_name]

        def _has_asset_key_col_on_connection(self, conn, column_name: str) -> bool:
            # the same for the asset-key table's columns (an Inspector query per asset event otherwise)
            known = self.__dict__.setdefault("_known_columns", {})
            if column_name not in known:
                known[column_name] = super()._has_asset_key_col_on_connection(conn, column_name)
            return known[column_name]

    return dg.DagsterInstance(
        instance_type=InstanceType.EPHEMERAL,
        local_artifact_storage=TemporaryLocalArtifactStorage(),
        run_storage=InMemoryRunStorage(),
        event_storage=HeldConnectionEventLogStorage(),
        compute_log_manager=NoOpComputeLogManager(),
        run_coordinator=DefaultRunCoordinator(),
        run_launcher=SyncInMemoryRunLauncher(),
    )
