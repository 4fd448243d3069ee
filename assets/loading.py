"""Loading one source folder of the inbox into its raw table: the part every source shares.

A source module (assets/<source>.py) declares its folder, file names, delimiter and contract rules as a
`Source`; this module reads every matching file (text or Excel), types it through assets.contract and
appends it to `raw.<table>` with lineage. Only new and changed files are read; a file that disappears
from the inbox disappears from raw too (see load_source).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb

from assets.contract import (
    Check,
    ContractError,
    LoadContext,
    TextRows,
    csv_rows,
    drop_temp_table,
    load_text_table,
    match_columns,
    read_header,
    sha256_of,
    source_files,
)
from assets.raw_schema import RawTable


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


def load_source(con: duckdb.DuckDBPyConnection, source: Source, ctx: LoadContext) -> dict:
    """Bring raw.<table> in line with the source's folder. Returns load statistics.

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
    files = source_files(ctx.inbox / source.folder, source.patterns)
    now = {ctx.relative(path): (path, sha256_of(path)) for path in files}
    stale = sorted(rel for rel, (sha, _) in kept.items() if now.get(rel, (None, None))[1] != sha)
    if stale:
        con.execute(f"delete from raw.{source.table.name} where kildefil in (select unnest(?::VARCHAR[]))",
                    [stale])
    rows_total = 0
    file_stats = []
    for rel, (path, sha) in now.items():
        if rel in kept and kept[rel][0] == sha:
            n, reused = kept[rel][1], True
        elif source.custom_loader is not None:
            n, reused = source.custom_loader(con, path, rel, sha, ctx), False
        else:
            n, reused = _load_tabular_file(con, source, path, rel, sha, ctx), False
        rows_total += n
        file_stats.append({"fil": rel, "sha256": sha, "raekker": n, "kilde": source.table.name,
                           "genbrugt": reused})
    return {"filer": file_stats, "raekker": rows_total}


def contract_fingerprint(source: Source) -> str:
    """What a loaded file's rows depend on besides the file: the raw table, the rules and the loader code."""
    digest = hashlib.sha256(f"duckdb {duckdb.__version__}\n{source.table.ddl()}".encode())
    digest.update(repr((source.patterns, source.delimiter, source.missing, source.checks, source.unique_key,
                        source.identical_repeats_ok, sorted(source.derived_sql.items()))).encode())
    digest.update(_loader_code())
    return f"kontrakt:{digest.hexdigest()[:32]}"


@cache
def _loader_code() -> bytes:
    """The text of the code that turns files into raw rows: this module, the contract helpers and every
    source module (a change to publishing or reporting does not reload the inbox)."""
    import inspect

    from assets import sources

    here = Path(__file__).parent
    files = {here / name for name in ("contract.py", "loading.py", "raw_schema.py", "rules.py", "database.py",
                                      "sources.py")}
    files |= {Path(module.__file__) for module in vars(sources).values() if inspect.ismodule(module)}
    return b"".join(path.read_bytes() for path in sorted(files))


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


def _load_tabular_file(con, source: Source, path: Path, rel: str, sha: str, ctx: LoadContext) -> int:
    if path.suffix.lower() == ".xlsx":
        header, header_row = stage_excel(con, path, rel, source.table)
        positions = match_columns(source.table, header, rel, line=header_row)
        rows = TextRows("_staging", line="kildelinje")
    else:
        header = read_header(path, rel, source.delimiter)
        positions = match_columns(source.table, header, rel)
        rows = csv_rows(path, rel, header, source.delimiter)
    checks = source.checks + (source.file_checks(path) if source.file_checks else ())
    try:
        return load_text_table(
            con, rows, source.table, rel, positions,
            missing=source.missing, checks=checks, unique_key=source.unique_key,
            identical_repeats_ok=source.identical_repeats_ok, derived_sql=source.derived_sql,
            sha256=sha, loaded_at=ctx.loaded_at,
        )
    finally:
        drop_temp_table(con, "_staging")


def stage_excel(con: duckdb.DuckDBPyConnection, path: Path, rel: str, table: RawTable) -> tuple[list[str], int]:
    """Read the first sheet into temp table `_staging` as text; the header is the first row that names the
    contract's required columns (title rows above it are skipped). Line numbers are sheet rows."""
    import openpyxl
    import pandas as pd

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise ContractError(rel, f"not a readable Excel workbook ({type(exc).__name__}: {exc})") from None
    sheet = workbook.worksheets[0]
    required = {c.header.lower() for c in table.columns if c.required}
    header: list[str] | None = None
    header_row = 0
    records: list[list[str | None]] = []
    lines: list[int] = []
    for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if header is None:
            names = [str(v).strip() if v is not None else "" for v in row]
            if required <= {n.lower() for n in names}:
                header, header_row = names, row_number
            elif row_number >= 20:
                break
            continue
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        records.append([_excel_text(v) for v in row[: len(header)]] + [None] * (len(header) - len(row)))
        lines.append(row_number)
    workbook.close()
    if header is None:
        names = ", ".join(sorted(c.header for c in table.columns if c.required))
        raise ContractError(rel, f"no header row with the contract's columns ({names}) in the first 20 rows "
                            f"of sheet '{sheet.title}'", line=1)
    frame = pd.DataFrame(records, columns=[f"c{i}" for i in range(len(header))], dtype="object")
    frame["kildelinje"] = pd.Series(lines, dtype="int64")
    con.register("_excel_frame", frame)
    cols = ", ".join(f'cast("c{i}" as VARCHAR) as "c{i}"' for i in range(len(header)))
    con.execute(f"create or replace temp table _staging as select {cols}, kildelinje from _excel_frame")
    con.unregister("_excel_frame")
    return header, header_row


def _excel_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") and (value.hour or value.minute) else \
            value.strftime("%Y-%m-%d")
    return str(value)
