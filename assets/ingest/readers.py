"""Reading inbox files as text rows: delimited text through DuckDB's CSV reader, Excel through openpyxl.

Files are read as text first and typed afterwards (assets.ingest.casting), so a bad value is found with
its line number instead of failing deep inside a CSV sniffer. The reader's own refusals (bad quoting, a
wrong field count, a bad byte) become contract errors naming the line.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from assets.ingest.contract import ContractError
from assets.ingest.raw_schema import RawTable


def _open_binary(path: Path):
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


def read_header(path: Path, rel: str, delimiter: str) -> list[str]:
    """First line of a text file, split on the contract's delimiter, with clear errors for common mistakes.

    Only the header line is decoded here (bytes, then UTF-8), so a bad byte further down is reported by
    the CSV reader with its own line number rather than blamed on line 1.
    """
    try:
        with _open_binary(path) as fh:
            raw = fh.readline()
    except (OSError, EOFError) as exc:
        raise ContractError(rel, f"cannot be read: {exc}") from None
    try:
        first = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContractError(rel, f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8",
                            line=1) from None
    first = first.rstrip("\r\n")
    if not first.strip():
        raise ContractError(rel, "the file is empty (no header line)", line=1)
    names = [n.strip().strip('"') for n in first.split(delimiter)]
    if len(names) == 1:
        others = [d for d in (";", ",", "\t", "|") if d != delimiter and d in first]
        if others:
            raise ContractError(rel, f"wrong separator: expected '{delimiter}' between fields, found "
                                f"'{others[0]}'", line=1)
    return names


def match_columns(table: RawTable, header: list[str], rel: str, line: int = 1) -> dict[str, int]:
    """Map each contract column to its position in the header (case-insensitive); missing ones are errors."""
    positions = {name.strip().lower(): i for i, name in enumerate(header) if name is not None}
    found: dict[str, int] = {}
    for col in table.columns:
        key = col.header.lower()
        if key in positions:
            found[col.name] = positions[key]
        elif col.required:
            raise ContractError(rel, f"required column is missing (header has: {', '.join(map(str, header))})",
                                line=line, column=col.header)
    return found


@dataclass(frozen=True)
class TextRows:
    """A file's rows as text: a SQL relation with columns c0..cN in file order (read_csv, or a staged sheet).

    `line` names the column that holds each row's line (sheet row) when the relation has one. Without it the
    rows are numbered by their position: the typed copy keeps the file's order (DuckDB preserves insertion
    order), so its row number is the line (see line_by_position), and no ordering window is paid for at
    national scale.
    """

    relation: str
    params: tuple = ()
    line: str | None = None
    first_line: int = 2
    # turns the reader's own error (bad quoting, wrong field count, encoding) into a contract error
    read_error: Callable[[duckdb.Error], ContractError] | None = None
    # the same rows read with the reader's own typing (position → type), when the source can do that
    typed_relation: Callable[[dict[int, str]], str] | None = None
    # the most rows the file can hold (its line breaks, less the header), when known without parsing it
    max_rows: int | None = None


_DUCKDB_LINE = re.compile(r"[Ll]ine:?\s*(\d+)")


def csv_rows(path: Path, rel: str, header: list[str], delimiter: str, max_records: int | None = None) -> TextRows:
    """A delimited text file as text rows: every field VARCHAR, typed afterwards by load_text_table.

    `max_records` is the most records (header included) the file's line breaks allow (digests.FileDigest).
    """

    def relation(types: dict[int, str]) -> str:
        columns = {f"c{i}": types.get(i, "VARCHAR") for i in range(len(header))}
        skip = ", ignore_errors = true" if types else ""
        return (f"read_csv(?, delim = ?, header = true, columns = {columns!r}, quote = '\"', escape = '\"', "
                "strict_mode = true, null_padding = false, auto_detect = false, compression = ?, "
                f"encoding = 'utf-8'{skip})")

    return TextRows(relation({}), (str(path), delimiter, "gzip" if path.suffix == ".gz" else "none"),
                    read_error=lambda exc: csv_error(exc, rel, header, delimiter), typed_relation=relation,
                    max_rows=None if max_records is None else max_records - 1)


def csv_error(exc: duckdb.Error, rel: str, header: list[str], delimiter: str) -> ContractError:
    """DuckDB's CSV reader error as a contract error with the file's line."""
    text = str(exc)
    match = _DUCKDB_LINE.search(text)
    line = int(match.group(1)) if match else None
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    if "Expected Number of Columns" in text or "too many columns" in text.lower():
        reason = f"wrong number of fields (the header has {len(header)}, separated by '{delimiter}')"
    elif "unicode" in text.lower() or "utf-8" in text.lower() or "encoding" in text.lower():
        reason = "not valid UTF-8 text; save the file as UTF-8"
    else:
        reason = f"cannot be parsed: {first}"
    return ContractError(rel, reason, line=line)


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
