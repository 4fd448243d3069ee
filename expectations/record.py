"""What already passed its suite: the record that lets a run validate only what changed (issue 15).

A raw table's rows are content-addressed by file (`kildefil` + `kilde_sha256`, assets/ingest/loading.py):
a file unchanged since the last load keeps its rows. So once a table has passed its suite, the same file
with the same sha256 cannot break a row rule again, and a refresh validates the rows of new and changed
files only (expectations/prefilter.py; the rules over the whole history are evaluated for the keys the new
rows touch, against every row of the table). A table whose content did not change at all is not validated
again: the outcomes recorded with its last passing validation are reported as they were.

Beside the outcomes, the record keeps per file what each row-local warning found there (the count, first
line and values; expectations/file_warnings.py), so a refresh looks for those warnings in new files only.

The record is one row per table in `kvalitet.gx_godkendt` of the working database, written by the check
op (orchestration/quality_checks.py, the pipeline's process, after the worker has answered) and only when
the table's suite passed, so a failing file is validated again on the next run even if unchanged. Each row
carries a *fingerprint* of everything an outcome depends on besides the data: the resolved suite (its
thresholds and seed values), the raw table's loader contract (its comment), Great Expectations' version
and the code of `expectations/`. A different fingerprint means the record does not count: everything is
validated again. The *content* says what the rows were: a raw table's files with sha256 and row counts, a
mart's row count and row digest, plus the same for every other table the suite's derived rules read.

Nothing here imports Great Expectations.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import metadata
from pathlib import Path

from expectations.suites import Suite

SCHEMA = "kvalitet"
TABLE = f"{SCHEMA}.gx_godkendt"
DDL = (
    f"create table if not exists {TABLE} (tabel varchar primary key, fingeraftryk varchar not null, "
    "indhold varchar not null, filer varchar not null, raekker bigint not null, udfald varchar not null, "
    "valideret timestamp not null, advarsler varchar)"
)
LINEAGE = ("kildefil", "kilde_sha256", "kildelinje")


@dataclass(frozen=True)
class Recorded:
    fingerprint: str
    content: str
    files: dict[str, str]  # kildefil -> kilde_sha256 (raw tables)
    rows: int
    outcomes: list[dict]
    # suite entry number -> kildefil -> what the row-local warning found there (files without: nothing)
    warnings: dict[int, dict[str, dict]] = field(default_factory=dict)


@cache
def _code() -> bytes:
    here = Path(__file__).parent
    return b"".join(p.read_bytes() for p in sorted(here.glob("*.py")))


def _gx_version() -> str:
    try:
        return metadata.version("great_expectations")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "?"


def fingerprint(resolved: Suite, contract: str | None) -> str:
    """Everything a table's outcomes depend on besides its rows (see the module's docstring)."""
    digest = hashlib.sha256(repr((resolved.table, resolved.expectations, sorted(resolved.derived.items()),
                                  sorted(resolved.scopes.items()), resolved.file_rules, contract,
                                  _gx_version())).encode())
    digest.update(_code())
    return digest.hexdigest()[:32]


def table_comment(con, table: str) -> str | None:
    schema, name = table.split(".", 1)
    found = con.execute("select comment from duckdb_tables() where schema_name = ? and table_name = ?",
                        [schema, name]).fetchone()
    return None if found is None else found[0]


def _columns(con, table: str) -> list[str]:
    schema, name = table.split(".", 1)
    return [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
        [schema, name]).fetchall()]


def files_of(con, table: str) -> dict[str, tuple[str, int]] | None:
    """A raw table's files: kildefil -> (kilde_sha256, rows); None for a table without lineage."""
    if not all(c in _columns(con, table) for c in LINEAGE):
        return None
    rows = con.execute(f"select kildefil, min(kilde_sha256), max(kilde_sha256), count(*) from {table} "
                       "group by kildefil order by kildefil").fetchall()
    if any(low != high for _, low, high, _ in rows):
        return None  # one file name with two contents: not the loader's table, trust nothing
    return {f: (sha, n) for f, sha, _, n in rows}


def _identity(con, table: str, files: dict | None = None) -> str:
    files = files_of(con, table) if files is None else files
    if files is not None:
        return f"{table}:" + json.dumps(sorted(files.items()))
    n, digest = con.execute(f"select count(*), coalesce(sum(hash(t)::hugeint), 0) from {table} t").fetchone()
    return f"{table}:{n}:{digest}"


_TABLE_NAME = re.compile(r"\b(raw|marts|partnerskaber|staging|intermediate|seeds|udgivelse)\.([a-z_0-9]+)\b")


def referenced_tables(suite: Suite) -> list[str]:
    """The other tables the suite's derived rules read (e.g. raw.geo_omraader for known area codes)."""
    found = {".".join(m.groups()) for sql in suite.derived.values()
             for m in _TABLE_NAME.finditer(sql[1] if isinstance(sql, tuple) else sql)}
    return sorted(found - {suite.table})


def content(con, suite: Suite, files: dict | None = None) -> str | None:
    """What the table's (and its derived rules' other tables') rows are; None when it cannot be told.
    `files`: the table's own files (files_of), when already read."""
    try:
        parts = [_identity(con, suite.table, files)] + [_identity(con, t) for t in referenced_tables(suite)]
    except Exception:  # a missing table, a type that cannot be hashed: validate, never trust
        return None
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def read_records(con) -> dict[str, Recorded]:
    found = con.execute("select 1 from duckdb_tables() where schema_name = ? and table_name = 'gx_godkendt'",
                        [SCHEMA]).fetchone()
    if found is None:
        return {}
    warnings = "advarsler" if "advarsler" in _columns(con, TABLE) else "null"  # a record from before
    rows = con.execute(f"select tabel, fingeraftryk, indhold, filer, raekker, udfald, {warnings} "
                       f"from {TABLE}").fetchall()
    return {t: Recorded(fp, c, json.loads(files), n, json.loads(outcomes),
                        {int(nr): by_file for nr, by_file in json.loads(found or "{}").items()})
            for t, fp, c, files, n, outcomes, found in rows}


def write_records(con, records: list[dict]) -> None:
    """Store the records of tables that passed (each: table, fingerprint, content, files, rows, outcomes and
    the row-local warnings' summaries per file)."""
    if not records:
        return
    con.execute(f"create schema if not exists {SCHEMA}")
    con.execute(DDL)
    con.execute(f"alter table {TABLE} add column if not exists advarsler varchar")  # a record from before
    now = datetime.now()
    for r in records:
        con.execute(f"delete from {TABLE} where tabel = ?", [r["table"]])
        con.execute(f"insert into {TABLE} (tabel, fingeraftryk, indhold, filer, raekker, udfald, valideret, "
                    "advarsler) values (?, ?, ?, ?, ?, ?, ?, ?)",
                    [r["table"], r["fingerprint"], r["content"], json.dumps(r["files"]), r["rows"],
                     json.dumps(r["outcomes"], default=str), now, json.dumps(r.get("warnings") or {})])

