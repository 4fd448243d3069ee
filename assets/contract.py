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
        # whole numbers written with a zero decimal part (Excel: 12.0) are accepted, 12.5 is not
        as_double = f"try_cast(replace({v}, ',', '.') as DOUBLE)"
        return (f"coalesce(try_cast({v} as {type_}), "
                f"case when {as_double} = floor({as_double}) then try_cast({as_double} as {type_}) end)")
    if type_ == "BOOLEAN":
        return f"try_cast({v} as BOOLEAN)"
    return f"try_cast({v} as {type_})"


def load_text_table(
    con: duckdb.DuckDBPyConnection,
    staging: str,
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
    """Type the text rows in temp table `staging` (columns c0..cN + kildelinje) into raw.<table>.

    The first bad value per column is reported with its line, then the contract's row checks run on the
    typed values. Returns the number of rows appended.
    """
    typed = {}
    for col in table.columns:
        if col.name in positions:
            typed[col.name] = _cast_expr(f'"c{positions[col.name]}"', col.type, missing)
        else:
            typed[col.name] = f"CAST(NULL AS {col.type})"

    # 1. values that do not parse as their type
    probes = []
    for col in table.columns:
        if col.name not in positions or col.type == "VARCHAR":
            continue
        raw = f"nullif(trim(\"c{positions[col.name]}\"), '')"
        for marker in missing:
            raw = f"nullif({raw}, '{marker}')"
        probes.append(f"min(kildelinje) filter (where {raw} is not null and {typed[col.name]} is null)")
    if probes:
        firsts = con.execute(f"select {', '.join(probes)} from {staging}").fetchone()
        bad_cols = [c for c in table.columns if c.name in positions and c.type != "VARCHAR"]
        errors = [(line, col) for line, col in zip(firsts, bad_cols, strict=True) if line is not None]
        if errors:
            line, col = min(errors, key=lambda e: e[0])
            value = con.execute(
                f'select "c{positions[col.name]}" from {staging} where kildelinje = ?', [line]
            ).fetchone()[0]
            raise ContractError(rel, f"value {value!r} is not a valid {_type_word(col.type)}", line=line,
                                column=col.header)

    select_typed = ", ".join(f'{expr} as "{name}"' for name, expr in typed.items())
    derived_sql = derived_sql or {}
    derived = ", ".join(f'{derived_sql[c.name]} as "{c.name}"' for c in table.derived)
    con.execute(
        f"create or replace temp table _typed as select {select_typed}, kildelinje from {staging}"
    )
    # 2. row rules of the contract (codes, ranges), all in one scan; the earliest bad line is reported
    if checks:
        firsts = con.execute(
            "select " + ", ".join(
                f"min(kildelinje) filter (where not coalesce(({c.predicate}), false))" for c in checks
            ) + " from _typed"
        ).fetchone()
        broken = [(line, check) for line, check in zip(firsts, checks, strict=True) if line is not None]
        if broken:
            line, check = min(broken, key=lambda b: b[0])
            col = next((c.header for c in table.columns if c.name == check.column), check.column)
            raise ContractError(rel, check.message, line=line, column=col)

    # 3. a key that must be unique within the file
    if unique_key:
        # one hash aggregate finds the repeated keys (a national extract has ~1 M rows a file); only their
        # rows are then looked at for the first offending line
        key = ", ".join(f'"{k}"' for k in unique_key)
        everything = ", ".join(f'"{c.name}"' for c in table.columns)
        variants = f" and count(distinct ({everything})) > 1" if identical_repeats_ok else ""
        bad = con.execute(
            f"""with gentagne as (
                  select {key}, min(kildelinje) as first_line
                  from _typed where {" and ".join(f'"{k}" is not null' for k in unique_key)}
                  group by {key} having count(*) > 1{variants})
                select t.kildelinje, g.first_line
                from _typed as t inner join gentagne as g using ({key})
                where t.kildelinje > g.first_line order by t.kildelinje limit 1"""
        ).fetchone()
        if bad:
            col = next(c.header for c in table.columns if c.name == unique_key[-1])
            what = "with different content " if identical_repeats_ok else ""
            raise ContractError(rel, f"duplicate {'/'.join(unique_key)} {what}(first seen on line {bad[1]})",
                                line=bad[0], column=col)

    cols = [f'"{c.name}"' for c in table.all_columns] + [f'"{n}"' for n in LINEAGE_COLUMNS]
    base = ", ".join(f'"{c.name}"' for c in table.columns)
    select = base + (", " + derived if derived else "")
    n = con.execute(
        f"insert into raw.{table.name} ({', '.join(cols)}) select {select}, ?, ?, kildelinje, ? from _typed",
        [rel, sha256, loaded_at],
    ).fetchone()[0]
    con.execute("drop table _typed")
    return n


def _type_word(type_: str) -> str:
    return {
        "INTEGER": "whole number", "BIGINT": "whole number", "DOUBLE": "number",
        "DATE": "date (YYYY-MM-DD)", "TIMESTAMP": "date-time (YYYY-MM-DD HH:MM:SS)", "BOOLEAN": "boolean",
    }.get(type_, type_.lower())


_DUCKDB_LINE = re.compile(r"[Ll]ine:?\s*(\d+)")


def stage_delimited(con: duckdb.DuckDBPyConnection, path: Path, rel: str, header: list[str], delimiter: str,
                    staging: str = "_staging") -> None:
    """Read a delimited text file as text into temp table `staging` (c0..cN, kildelinje)."""
    names = {f"c{i}": "VARCHAR" for i in range(len(header))}
    try:
        con.execute(
            f"""create or replace temp table {staging} as
            select *, (row_number() over () + 1)::BIGINT as kildelinje
            from read_csv(?, delim = ?, header = true, columns = {names!r}, quote = '"', escape = '"',
                          strict_mode = true, null_padding = false, auto_detect = false,
                          compression = ?, encoding = 'utf-8')""",
            [str(path), delimiter, "gzip" if path.suffix == ".gz" else "none"],
        )
    except duckdb.Error as exc:
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
        raise ContractError(rel, reason, line=line) from None
