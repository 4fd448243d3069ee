"""Loading one source folder of the inbox into its raw table: the part every source shares.

A source module (assets/ingest/sources/<source>.py) declares its folder, file names, delimiter and contract
rules as a `Source`; this module reads every matching file (text or Excel, assets.ingest.readers), types it
(assets.ingest.casting), checks it (assets.ingest.row_rules) and appends it to `raw.<table>` with lineage.
Only new and changed files are read; a file that disappears from the inbox disappears from raw too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

import duckdb

from assets.foundation.files import source_files
from assets.ingest.casting import drop_temp_table, line_by_position, typed_by_reader, typed_from_text
from assets.ingest.contract import Check, ContractError, LoadContext, Problem, Problems
from assets.ingest.digests import Digests, FileDigest
from assets.ingest.raw_schema import LINEAGE_COLUMNS, RawTable
from assets.ingest.readers import TextRows, csv_rows, match_columns, read_header, stage_excel
from assets.ingest.row_rules import check_rows, check_unique, collect_rows, collect_unique


@dataclass(frozen=True)
class Source:
    folder: str
    patterns: tuple[str, ...]
    table: RawTable
    description: str
    delimiter: str = ";"
    missing: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    unique_key: tuple[str, ...] = ()
    identical_repeats_ok: bool = False
    derived_sql: dict[str, str] = field(default_factory=dict)
    # per-file rules that depend on the file name (e.g. "dates inside the file's year")
    file_checks: Callable[[Path], tuple[Check, ...]] | None = None
    # a loader of its own for formats that are not plain delimited text (GeoJSON)
    custom_loader: Callable[[duckdb.DuckDBPyConnection, Path, str, str, LoadContext], int] | None = None
    # file names of another source in the same folder (geo/rode.geojson is the rode layer, not areas)
    exclude: tuple[str, ...] = ()


def load_source(con: duckdb.DuckDBPyConnection, source: Source, ctx: LoadContext,
                problems: Problems | None = None) -> dict:
    """Bring raw.<table> in line with the source's folder. Returns load statistics.

    With `problems` (the collecting mode of `tryghed check`), a contract violation does not stop the load:
    every broken rule of every file is recorded there and a file with problems is left out of the table.

    The table holds exactly the rows of the files in the inbox now: rows of a file that is gone or changed
    are removed and new or changed files are loaded. A file still there with the same sha256 keeps its rows
    (they passed the same contract when loaded), so a yearly refresh reads only the new deliveries, not
    twenty years of them. The table's comment records the contract it was loaded under; when the contract
    or the loader code changes, every file is loaded again.
    """
    con.execute("create schema if not exists raw")
    contract = contract_fingerprint(source)
    kept = _loaded_files(con, source.table.name, contract)
    if kept is None:
        con.execute(source.table.ddl())
        con.execute(f"comment on table raw.{source.table.name} is '{contract}'")
        kept = {}
    files = source_files(ctx.inbox / source.folder, source.patterns, source.exclude)
    now = {ctx.relative(path): path for path in files}
    # hashed in the background while DuckDB reads the files before
    with Digests(files, loaded=frozenset(path for rel, path in now.items() if rel in kept)) as digests:
        stale = sorted(rel for rel, (sha, _) in kept.items()
                       if rel not in now or digests.of(now[rel]).sha256 != sha)
        if stale:
            con.execute(f"delete from raw.{source.table.name} where kildefil in (select unnest(?::VARCHAR[]))",
                        [stale])
        rows_total = 0
        file_stats = []
        for rel, path in now.items():
            digest = digests.of(path)
            sha = digest.sha256
            if rel in kept and kept[rel][0] == sha:
                n, reused = kept[rel][1], True
            elif problems is not None:
                n, reused = _collecting(con, source, path, rel, digest, ctx, problems), False
            elif source.custom_loader is not None:
                n, reused = source.custom_loader(con, path, rel, sha, ctx), False
            else:
                n, reused = _load_tabular_file(con, source, path, rel, digest, ctx), False
            rows_total += n
            file_stats.append({"fil": rel, "sha256": sha, "raekker": n, "kilde": source.table.name,
                               "genbrugt": reused})
    return {"filer": file_stats, "raekker": rows_total}


def contract_fingerprint(source: Source) -> str:
    """What a loaded file's rows depend on besides the file: the raw table, the rules and the loader code."""
    digest = hashlib.sha256(f"duckdb {duckdb.__version__}\n{source.table.ddl()}".encode())
    digest.update(repr((source.patterns, source.exclude, source.delimiter, source.missing, source.checks,
                        source.unique_key, source.identical_repeats_ok, sorted(source.derived_sql.items()))).encode())
    digest.update(_loader_code())
    return f"kontrakt:{digest.hexdigest()[:32]}"


@cache
def _loader_code() -> bytes:
    """The text of the code that turns files into raw rows: every module of ingestion and the database
    connection (a change to publishing or reporting does not reload the inbox)."""
    here = Path(__file__).parent
    files = sorted(here.rglob("*.py")) + [here.parent / "foundation" / "database.py",
                                          here.parent / "foundation" / "files.py"]
    return b"".join(path.read_bytes() for path in files)


def _loaded_files(con, table: str, contract: str) -> dict[str, tuple[str, int]] | None:
    """Files in raw.<table> with their sha256 and row count, or None when the table must be (re)built."""
    found = con.execute(
        "select comment from duckdb_tables() where schema_name = 'raw' and table_name = ?", [table]
    ).fetchone()
    if found is None or found[0] != contract:
        return None
    loaded = con.execute(f"select kildefil, min(kilde_sha256), max(kilde_sha256), count(*) "
                         f"from raw.{table} group by kildefil").fetchall()
    if any(low != high for _, low, high, _ in loaded):
        return None  # one file name with two contents was not written by this loader: start again
    return {rel: (sha, n) for rel, sha, _, n in loaded}


def _collecting(con, source: Source, path: Path, rel: str, digest: FileDigest, ctx: LoadContext,
                problems: Problems) -> int:
    """Load one file, recording its problems instead of raising. A problem that stops the reading itself (an
    unreadable file, a missing column, a wrong field count, a bad GeoJSON feature) is recorded alone."""
    try:
        if source.custom_loader is not None:
            return source.custom_loader(con, path, rel, digest.sha256, ctx)
        return _load_tabular_file(con, source, path, rel, digest, ctx, problems)
    except ContractError as error:
        problems.append(Problem.from_error(error))
        return 0


def _load_tabular_file(con, source: Source, path: Path, rel: str, digest: FileDigest, ctx: LoadContext,
                       problems: Problems | None = None) -> int:
    if path.suffix.lower() == ".xlsx":
        header, header_row = stage_excel(con, path, rel, source.table)
        positions = match_columns(source.table, header, rel, line=header_row)
        rows = TextRows("_staging", line="kildelinje")
    else:
        header = read_header(path, rel, source.delimiter)
        positions = match_columns(source.table, header, rel)
        rows = csv_rows(path, rel, header, source.delimiter, digest.max_records)
    checks = source.checks + (source.file_checks(path) if source.file_checks else ())
    try:
        return load_text_table(
            con, rows, source.table, rel, positions,
            missing=source.missing, checks=checks, unique_key=source.unique_key,
            identical_repeats_ok=source.identical_repeats_ok, derived_sql=source.derived_sql,
            sha256=digest.sha256, loaded_at=ctx.loaded_at, problems=problems,
        )
    finally:
        drop_temp_table(con, "_staging")


def load_text_table(
    con: duckdb.DuckDBPyConnection,
    rows: TextRows,
    table: RawTable,
    rel: str,
    positions: dict[str, int],
    *,
    missing: tuple[str, ...] = (),
    checks: tuple[Check, ...] = (),
    unique_key: tuple[str, ...] = (),
    identical_repeats_ok: bool = False,
    derived_sql: dict[str, str] | None = None,
    sha256: str,
    loaded_at: datetime,
    problems: Problems | None = None,
) -> int:
    """Type the text rows into raw.<table>, after the contract's rules held for every row.

    One pass types the rows into a temp table (the reader's typing when it takes every row, else typing the
    text with a flag per unparsable value); one aggregate then finds the earliest unparsable value and the
    earliest row breaking a rule, reported with its line. Returns the number of rows appended.
    """
    line_select = [f"{rows.line} as kildelinje"] if rows.line else []
    try:
        flags = typed_by_reader(con, rows, table, positions, missing, line_select)
        if flags is None:
            flags = typed_from_text(con, rows, table, positions, missing, line_select)
        line = "kildelinje" if rows.line else line_by_position(con, rows.first_line)
        if problems is not None:  # the collecting mode: every broken rule; a file with problems is not loaded
            found = collect_rows(con, rows, table, rel, positions, line, flags, checks, problems)
            if unique_key:
                found += collect_unique(con, table, rel, line, unique_key, identical_repeats_ok, problems)
            if found:
                return 0
        check_rows(con, rows, table, rel, positions, line, flags, checks)
        if unique_key:
            check_unique(con, table, rel, line, unique_key, identical_repeats_ok)
        cols = [f'"{c.name}"' for c in table.all_columns] + [f'"{n}"' for n in LINEAGE_COLUMNS]
        derived_sql = derived_sql or {}
        values = [f'"{c.name}"' for c in table.columns] + [f'{derived_sql[c.name]}' for c in table.derived]
        return con.execute(
            f"insert into raw.{table.name} ({', '.join(cols)}) select {', '.join(values)}, ?, ?, {line}, ? "
            "from _typed",
            [rel, sha256, loaded_at],
        ).fetchone()[0]
    finally:
        drop_temp_table(con, "_typed")
