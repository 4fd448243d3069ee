"""The working DuckDB database: one way to open it, with the spatial extension loaded.

Geometry lives in DuckDB's spatial extension. It cannot be downloaded at run time here, so it is loaded by
file path from the `duckdb-ext-spatial` package, which ships the build matching `duckdb==1.4.4`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb


@cache
def spatial_extension_path() -> str:
    """Path of the spatial extension file shipped by the `duckdb-ext-spatial` package."""
    import duckdb_ext  # namespace package from duckdb-ext-spatial

    version = duckdb.__version__
    for root in duckdb_ext.__path__:
        for candidate in sorted(Path(root, "extensions", f"v{version}").glob("*/spatial.duckdb_extension")):
            return str(candidate)
    raise RuntimeError(
        f"DuckDB's spatial extension for duckdb {version} is not installed; "
        "install the matching `duckdb-ext-spatial` package (see pyproject.toml)."
    )


def load_spatial(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"LOAD '{spatial_extension_path()}'")


@contextmanager
def connect(path: Path | str, *, read_only: bool = False, spatial: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the database for one step and close it again.

    DuckDB lets one process hold a database file for writing at a time, so no connection outlives the
    asset that opened it (dbt opens its own).
    """
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        if spatial:
            load_spatial(con)
        yield con
    finally:
        con.close()
