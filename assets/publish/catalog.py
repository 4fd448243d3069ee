"""The BI catalog: a DuckDB file holding one release's marts as tables, described from the dbt docs.

Tables, not views: a view over `read_parquet('<path>')` breaks when the warehouse is copied or moved
(DuckDB resolves a relative path against the reader's working directory, not the catalog's folder), while
a table travels inside the file. The marts are aggregates (thousands of rows), so the copy costs well under
a second and a few hundred kB.

Every table and column carries the dbt docs' description as its comment (`COMMENT ON`), which DBeaver,
DuckDB's `duckdb_columns()` and most ODBC/JDBC clients show; the table comment names the release too.
"""

from __future__ import annotations

import os
from pathlib import Path

from assets.foundation.dbt_project import mart_docs, mart_names


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def write_catalog(release_dir: Path, path: Path) -> Path:
    """Write `path`: every mart of the release in `release_dir` as a table with its dbt descriptions."""
    import duckdb

    release_dir, path = Path(release_dir), Path(path)
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
    docs = mart_docs()
    con = duckdb.connect(str(path))
    try:
        for mart in mart_names():
            parquet = (release_dir / f"{mart}.parquet").absolute()
            con.execute(f'create table "{mart}" as select * from read_parquet({_literal(str(parquet))})')
            described = docs.get(mart, {})
            comment = f"Udgivelse {release_dir.name}. {described.get('description', '')}".strip()
            con.execute(f'comment on table "{mart}" is {_literal(comment)}')
            columns = {r[0] for r in con.execute(f'describe "{mart}"').fetchall()}
            for column, text in described.get("columns", {}).items():
                if column in columns and text:
                    con.execute(f'comment on column "{mart}"."{column}" is {_literal(text)}')
        con.execute("checkpoint")
    finally:
        con.close()
    with path.open("rb") as fh:
        os.fsync(fh.fileno())
    return path
