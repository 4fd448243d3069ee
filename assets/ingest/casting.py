"""Typing text rows into the raw table's types: the reader's own typing when it takes every row, else
typing the text with a flag per value that does not parse (so the row checks can name it).
"""

from __future__ import annotations

import duckdb

from assets.ingest.raw_schema import RawTable
from assets.ingest.readers import TextRows


def cast_expr(value: str, type_: str, missing: tuple[str, ...]) -> str:
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


def typed_from_text(con, rows: TextRows, table: RawTable, positions: dict[str, int], missing: tuple[str, ...],
                     line_select: list[str]) -> dict[str, str]:
    """Type the text into `_typed`, with a flag column per typed column marking values that do not parse.
    Returns column name → flag column."""
    select, flags = [], {}
    for col in table.columns:
        if col.name not in positions:
            select.append(f'CAST(NULL AS {col.type}) as "{col.name}"')
            continue
        text = f'"c{positions[col.name]}"'
        typed = cast_expr(text, col.type, missing)
        select.append(f'{typed} as "{col.name}"')
        if col.type != "VARCHAR":
            flags[col.name] = f"_u{len(flags)}"
            select.append(f"({cast_expr(text, 'VARCHAR', missing)} is not null and {typed} is null) "
                          f"as {flags[col.name]}")
    read_source(con, rows, f"create or replace temp table _typed as select {', '.join(select + line_select)} "
          f"from {rows.relation}")
    return flags


def read_source(con, rows: TextRows, sql: str):
    """Run SQL that reads the source; the reader's own refusal becomes the contract error naming the line."""
    try:
        return con.execute(sql, list(rows.params))
    except duckdb.Error as exc:
        if rows.read_error is None:
            raise
        raise rows.read_error(exc) from None


def typed_by_reader(con, rows: TextRows, table: RawTable, positions: dict[str, int], missing: tuple[str, ...],
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
            expr = cast_expr(field, col.type, missing)
        else:
            by_position[positions[col.name]] = col.type
            expr = field
        select.append(f'{expr} as "{col.name}"')
        if col.type in ("INTEGER", "BIGINT"):
            # a number the reader parsed is never empty text, so without missing-value markers the field
            # itself says whether there was a value (no number formatted back into text per row)
            text = field if col.type == "INTEGER" and not missing else \
                cast_expr(f"cast({field} as VARCHAR)", "VARCHAR", missing)
            select.append(f"({text} is not null and {expr} is null) as _unsure{len(doubtful)}")
            doubtful.append(f"_unsure{len(doubtful)}")
    # a failing statement would abort the caller's transaction, so the typed read skips what it cannot parse
    # (a bad value, a wrong field count, a bad byte) and the row count tells whether it skipped anything;
    # the text path then reports it
    con.execute(f"create or replace temp table _typed as select {', '.join(select + line_select)} "
                f"from {rows.typed_relation(by_position)}", list(rows.params))
    flagged = " or ".join(doubtful) or "false"
    parsed, unsure = con.execute(f"select count(*), count(*) filter (where {flagged}) from _typed").fetchone()
    # the reader skips rows, never adds one, and the file holds at most `max_rows` (its line breaks): reaching
    # that bound means nothing was skipped, known without parsing the file again to count its rows
    if unsure == 0 and parsed == rows.max_rows:
        return {}
    total = read_source(con, rows, f"select count(*) from {rows.relation}").fetchone()[0]
    # the reader parsed every value, so none is flagged as unparsable
    return {} if parsed == total and unsure == 0 else None


def line_by_position(con, first_line: int) -> str:
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
