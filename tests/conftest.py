"""Shared fixtures: a DuckDB connection with the raw schema, and a way to write small inbox files."""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from assets.contract import LoadContext
from assets.database import load_spatial
from assets.raw_schema import create_empty_raw_schema

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def con():
    connection = duckdb.connect()
    load_spatial(connection)
    create_empty_raw_schema(connection)
    yield connection
    connection.close()


@pytest.fixture
def inbox(tmp_path) -> Path:
    root = tmp_path / "inbox"
    root.mkdir()
    return root


@pytest.fixture
def ctx(inbox) -> LoadContext:
    return LoadContext(inbox, datetime(2026, 3, 1, 12, 0, 0))


def write(inbox: Path, rel: str, text: str | bytes, *, encoding: str = "utf-8") -> Path:
    path = inbox / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text if isinstance(text, bytes) else text.encode(encoding)
    if path.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)
    return path
