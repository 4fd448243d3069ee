"""Reading inbox files against the input contract (../shared/docs/extracts.md).

Every loader goes through here, so every contract violation is reported the same way: the file (relative
to the inbox), the line (or sheet row) and the column, in one readable line. Files are read by DuckDB as
text first and typed afterwards, so a bad value is found with its line number instead of failing deep
inside a CSV sniffer.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from assets.raw_schema import LINEAGE_COLUMNS, RawTable


class ContractError(Exception):
    """A file breaks the input contract. The message names file, line and column."""

    def __init__(self, file: str, message: str, line: int | None = None, column: str | None = None):
        self.file, self.line, self.column, self.reason = file, line, column, message
        where = [file]
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}")


@dataclass(frozen=True)
class Check:
    """A row-level rule of the contract: `predicate` is SQL over the typed columns, true when the row is ok."""

    column: str
    predicate: str
    message: str


@dataclass
class LoadContext:
    """What every loader of one run shares: the inbox root and the load time."""

    inbox: Path
    loaded_at: datetime

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.inbox.resolve()).as_posix()
        except ValueError:
            return str(path)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def source_files(folder: Path, patterns: tuple[str, ...]) -> list[Path]:
    """The files of one source folder that match the contract's names, in a stable order."""
    if not folder.is_dir():
        return []
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in folder.glob(pattern) if p.is_file())
    return sorted(found)


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


def _cast_expr(value: str, type_: str, missing: tuple[str, ...]) -> str:
    """SQL turning the text `value` into `type_`: trimmed, empty/missing markers → NULL, decimal comma ok."""
    v = f"nullif(trim({value}), '')"
    for marker in missing:
        v = f"nullif({v}, '{marker}')"
    if type_ == "VARCHAR":
        return v
    if type_ == "DOUBLE":
        return f"try_cast(replace({v}, ',', '.') as DOUBLE)"
    if type_ in ("INTEGER", "BIGINT"):
        # whole numbers written with a zero decimal part (Excel: 12.0) are accepted, 12.5 is not (DuckDB's
        # own cast would round it to 13, so only plain digits go to it)
        as_double = f"try_cast(replace({v}, ',', '.') as DOUBLE)"
        return (f"coalesce(case when regexp_full_match({v}, '[+-]?[0-9]+') then try_cast({v} as {type_}) end, "
                f"case when {as_double} = floor({as_double}) then try_cast({as_double} as {type_}) end)")
    if type_ == "BOOLEAN":
        return f"try_cast({v} as BOOLEAN)"
    return f"try_cast({v} as {type_})"


@dataclass(frozen=True)
class TextRows:
    """A file's rows as text: a SQL relation with columns c0..cN in file order (read_csv, or a staged sheet).

    `line` names the column that holds each row's line (sheet row) when the relation has one. Without it the
    rows are numbered by their position: the typed copy keeps the file's order (DuckDB preserves insertion
    order), so its row number is the line (see _line_by_position), and no ordering window is paid for at
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
) -> int:
    """Type the text rows into raw.<table>, after the contract's rules held for every row.

    One pass types the rows into a temp table (the reader's typing when it takes every row, else typing the
    text with a flag per unparsable value); one aggregate then finds the earliest unparsable value and the
    earliest row breaking a rule, reported with its line. Returns the number of rows appended.
    """
    line_select = [f"{rows.line} as kildelinje"] if rows.line else []
    try:
        flags = _typed_by_reader(con, rows, table, positions, missing, line_select)
        if flags is None:
            flags = _typed_from_text(con, rows, table, positions, missing, line_select)
        line = "kildelinje" if rows.line else _line_by_position(con, rows.first_line)
        _check_rows(con, rows, table, rel, positions, line, flags, checks)
        if unique_key:
            _check_unique(con, table, rel, line, unique_key, identical_repeats_ok)
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


def _typed_from_text(con, rows: TextRows, table: RawTable, positions: dict[str, int], missing: tuple[str, ...],
                     line_select: list[str]) -> dict[str, str]:
    """Type the text into `_typed`, with a flag column per typed column marking values that do not parse.
    Returns column name → flag column."""
    select, flags = [], {}
    for col in table.columns:
        if col.name not in positions:
            select.append(f'CAST(NULL AS {col.type}) as "{col.name}"')
            continue
        text = f'"c{positions[col.name]}"'
        typed = _cast_expr(text, col.type, missing)
        select.append(f'{typed} as "{col.name}"')
        if col.type != "VARCHAR":
            flags[col.name] = f"_u{len(flags)}"
            select.append(f"({_cast_expr(text, 'VARCHAR', missing)} is not null and {typed} is null) "
                          f"as {flags[col.name]}")
    _read(con, rows, f"create or replace temp table _typed as select {', '.join(select + line_select)} "
          f"from {rows.relation}")
    return flags


def _read(con, rows: TextRows, sql: str):
    """Run SQL that reads the source; the reader's own refusal becomes the contract error naming the line."""
    try:
        return con.execute(sql, list(rows.params))
    except duckdb.Error as exc:
        if rows.read_error is None:
            raise
        raise rows.read_error(exc) from None


def _line_by_position(con, first_line: int) -> str:
    """SQL for the line of each row of `_typed`, which holds the file's rows in the file's order.

    DuckDB numbers a new table's rows in insertion order, from 0, or from a large offset while the
    transaction that wrote them is open (the loaders run in one). When the numbers are not one unbroken
    run, the rows get an explicit line column instead (an ordering window: slower, never wrong).
    """
    low, high, n = con.execute("select min(rowid), max(rowid), count(*) from _typed").fetchone()
    if n == 0 or high - low + 1 == n:
        return f"(rowid - {low or 0} + {first_line})"
    con.execute(f"create or replace temp table _typed as select *, (row_number() over () + {first_line - 1})"
                "::BIGINT as kildelinje from _typed")
    return "kildelinje"


def drop_temp_table(con, table: str) -> None:
    """Drop a temp table; after a failed statement the transaction is aborted and the caller rolls back,
    so the contract error on its way out must not be replaced by DuckDB's "transaction is aborted"."""
    try:
        con.execute(f"drop table if exists {table}")
    except duckdb.Error:
        pass


def _typed_by_reader(con, rows: TextRows, table: RawTable, positions: dict[str, int], missing: tuple[str, ...],
                     line_select: list[str]) -> dict[str, str] | None:
    """The fast path: let the reader parse the values itself (several times faster than text + try_cast).

    It only counts when the reader parsed every row: a value it cannot parse (a missing-value marker, a
    decimal comma, a bad date) makes it skip that row, and the caller then types the text itself, which
    names the bad value. Where the reader does parse a value it gives the same value as the text path
    (DuckDB's own cast; tests/test_contract.py compares the two), and text columns are cleaned alike. Whole
    numbers are read as numbers and must be whole (a flag per row says when one is not, and the text path
    then names it).
    """
    if rows.typed_relation is None:
        return None
    by_position: dict[int, str] = {}
    select, doubtful = [], []
    for col in table.columns:
        if col.name not in positions:
            select.append(f'CAST(NULL AS {col.type}) as "{col.name}"')
            continue
        field = f'"c{positions[col.name]}"'
        if col.type == "INTEGER":
            # the reader would round 12.5 to 13: it reads a number, and only a whole one becomes the value
            by_position[positions[col.name]] = "DOUBLE"
            expr = f"case when {field} = floor({field}) then try_cast({field} as INTEGER) end"
        elif col.type in ("VARCHAR", "BIGINT"):
            by_position[positions[col.name]] = "VARCHAR"
            expr = _cast_expr(field, col.type, missing)
        else:
            by_position[positions[col.name]] = col.type
            expr = field
        select.append(f'{expr} as "{col.name}"')
        if col.type in ("INTEGER", "BIGINT"):
            text = _cast_expr(f"cast({field} as VARCHAR)", "VARCHAR", missing)
            select.append(f"({text} is not null and {expr} is null) as _unsure{len(doubtful)}")
            doubtful.append(f"_unsure{len(doubtful)}")
    # a failing statement would abort the caller's transaction, so the typed read skips what it cannot parse
    # (a bad value, a wrong field count, a bad byte) and the row count tells whether it skipped anything;
    # the text path then reports it
    con.execute(f"create or replace temp table _typed as select {', '.join(select + line_select)} "
                f"from {rows.typed_relation(by_position)}", list(rows.params))
    flagged = " or ".join(doubtful) or "false"
    parsed, unsure = con.execute(f"select count(*), count(*) filter (where {flagged}) from _typed").fetchone()
    total = _read(con, rows, f"select count(*) from {rows.relation}").fetchone()[0]
    # the reader parsed every value, so none is flagged as unparsable
    return {} if parsed == total and unsure == 0 else None


def _check_rows(con, rows: TextRows, table: RawTable, rel: str, positions: dict[str, int], line: str,
                flags: dict[str, str], checks: tuple[Check, ...]) -> None:
    """Values that do not parse as their type come first, then the contract's row rules; earliest line wins."""
    probes = [f"min({line}) filter (where {flag})" for flag in flags.values()]
    probes += [f"min({line}) filter (where not coalesce(({c.predicate}), false))" for c in checks]
    if not probes:
        return
    firsts = con.execute(f"select {', '.join(probes)} from _typed").fetchone()
    bad_types = [(n, name) for n, name in zip(firsts[: len(flags)], flags, strict=True) if n is not None]
    if bad_types:
        first, name = min(bad_types, key=lambda e: e[0])
        col = next(c for c in table.columns if c.name == name)
        value = _text_at(con, rows, positions[name], first)
        raise ContractError(rel, f"value {value!r} is not a valid {_type_word(col.type)}", line=first,
                            column=col.header)
    broken = [(n, check) for n, check in zip(firsts[len(flags):], checks, strict=True) if n is not None]
    if broken:
        first, check = min(broken, key=lambda b: b[0])
        col = next((c.header for c in table.columns if c.name == check.column), check.column)
        raise ContractError(rel, check.message, line=first, column=col)


def _text_at(con, rows: TextRows, position: int, line: int) -> str | None:
    """The text of one field, read again from the source (only on the way to an error message)."""
    if rows.line:
        sql = f'select "c{position}" from {rows.relation} where {rows.line} = ?'
    else:
        sql = (f'select "c{position}" from (select *, row_number() over () + {rows.first_line - 1} as _linje '
               f"from {rows.relation}) where _linje = ?")
    found = con.execute(sql, [*rows.params, line]).fetchone()
    return found[0] if found else None


def _check_unique(con, table: RawTable, rel: str, line: str, unique_key: tuple[str, ...],
                  identical_repeats_ok: bool) -> None:
    """A key that must be unique within the file (or repeat only with identical content).

    One hash aggregate over the key alone finds the repeated keys (a national extract has ~1 M rows a
    file); only their rows are compared, and the reported line is the first whose content differs from
    the key's first row (or, without identical repeats, the key's second row).
    """
    key = ", ".join(f'"{k}"' for k in unique_key)
    content = ", ".join(f'"{c.name}"' for c in table.columns)
    differs = "r._indhold <> f.foerste_indhold" if identical_repeats_ok else "true"
    bad = con.execute(
        f"""with gentagne as (
              select {key} from _typed where {" and ".join(f'"{k}" is not null' for k in unique_key)}
              group by {key} having count(*) > 1),
            raekker as (
              select {key}, {line} as _linje, hash({content}) as _indhold
              from _typed semi join gentagne using ({key})),
            foerste as (
              select {key}, min(_linje) as foerste_linje, arg_min(_indhold, _linje) as foerste_indhold
              from raekker group by {key})
            select r._linje, f.foerste_linje
            from raekker as r inner join foerste as f using ({key})
            where r._linje > f.foerste_linje and {differs}
            order by r._linje limit 1"""
    ).fetchone()
    if bad:
        col = next(c.header for c in table.columns if c.name == unique_key[-1])
        what = "with different content " if identical_repeats_ok else ""
        raise ContractError(rel, f"duplicate {'/'.join(unique_key)} {what}(first seen on line {bad[1]})",
                            line=bad[0], column=col)


def _type_word(type_: str) -> str:
    return {
        "INTEGER": "whole number", "BIGINT": "whole number", "DOUBLE": "number",
        "DATE": "date (YYYY-MM-DD)", "TIMESTAMP": "date-time (YYYY-MM-DD HH:MM:SS)", "BOOLEAN": "boolean",
    }.get(type_, type_.lower())


_DUCKDB_LINE = re.compile(r"[Ll]ine:?\s*(\d+)")


def csv_rows(path: Path, rel: str, header: list[str], delimiter: str) -> TextRows:
    """A delimited text file as text rows: every field VARCHAR, typed afterwards by load_text_table."""

    def relation(types: dict[int, str]) -> str:
        columns = {f"c{i}": types.get(i, "VARCHAR") for i in range(len(header))}
        skip = ", ignore_errors = true" if types else ""
        return (f"read_csv(?, delim = ?, header = true, columns = {columns!r}, quote = '\"', escape = '\"', "
                "strict_mode = true, null_padding = false, auto_detect = false, compression = ?, "
                f"encoding = 'utf-8'{skip})")

    return TextRows(relation({}), (str(path), delimiter, "gzip" if path.suffix == ".gz" else "none"),
                    read_error=lambda exc: csv_error(exc, rel, header, delimiter), typed_relation=relation)


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
