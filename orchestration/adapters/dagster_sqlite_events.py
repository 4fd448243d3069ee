"""The run's event log in the warehouse's SQLite files, written through one open connection per file.

Dagster's `SqliteEventLogStorage` creates a new SQLAlchemy engine for every stored event (and for the
table check each asset event makes), so every event pays for an engine, a connection, compiling its
statements afresh and an fsync: ~8 ms an event here, ~8 s for the ~950 events of a run on the sample.
This subclass keeps one engine per file for the life of the instance (statements compile once, the
connection stays open) and lets SQLite sync at checkpoints rather than on every commit
(`synchronous=NORMAL`, which the write-ahead log Dagster already uses makes safe against a crashed
process; only a power cut can lose the last events): ~1 ms an event.

The files and their schema are Dagster's own, so `dagster dev` (`make ui`) reads them with its default
storage; only `tryghed run` writes through this class (orchestration/adapters/dagster_instance.py).
It also remembers which tables the index file has: the base class opens a new engine to ask that for
every asset event and check result (~500 times a run), and a table, once there, stays.

Private Dagster internals used here (tested in tests/test_adapters.py): `SqliteEventLogStorage._connect`,
`_initdb`, `_initialized_dbs`, `_db_lock`, `conn_string_for_shard`, `has_table`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as db
from dagster._core.storage.event_log import SqliteEventLogStorage
from sqlalchemy.pool import StaticPool

BUSY_TIMEOUT_SECONDS = 15  # Dagster's own for SQLite: the webserver may be reading or writing the same file


class CachedSqliteEventLogStorage(SqliteEventLogStorage):
    """SqliteEventLogStorage with one engine (and connection) per shard, kept until `dispose`."""

    _engines: dict[str, db.Engine] | None = None  # set lazily: the base __init__ already connects
    _tables: set[str] | None = None  # tables the index file is known to have

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> db.Engine:
        if self._engines is None:
            self._engines = {}
        engine = self._engines.get(shard)
        if engine is None:
            engine = db.create_engine(self.conn_string_for_shard(shard), poolclass=StaticPool,
                                      connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False})
            db.event.listen(engine, "connect", _sync_at_checkpoints)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            self._engines[shard] = engine
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[db.Connection]:
        with self._db_lock:  # as the base class: one statement at a time (the connection is shared)
            with self._engine(shard).connect() as conn, conn.begin():
                yield conn

    def has_table(self, table_name: str) -> bool:
        if self._tables is None:
            self._tables = set()
        if table_name not in self._tables:
            # the base class's own question, on a connection of its own (this may be asked while the index
            # transaction holds the cached connection)
            if not super().has_table(table_name):
                return False  # asked again next time: a migration may add it
            self._tables.add(table_name)
        return True

    def dispose(self) -> None:
        for engine in (self._engines or {}).values():
            engine.dispose()
        self._engines = {}
        super().dispose()


def _sync_at_checkpoints(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")
