"""The contract's row rules over typed rows: values that did not parse, the source's rules, unique keys.

Each runs as one aggregate over the typed temp table; only on the way to an error message is the file
read again, for the offending line's text.
"""

from __future__ import annotations

from assets.ingest.contract import Check, ContractError, Problem, Problems
from assets.ingest.raw_schema import RawTable
from assets.ingest.readers import TextRows


def check_rows(con, rows: TextRows, table: RawTable, rel: str, positions: dict[str, int], line: str,
                flags: dict[str, str], checks: tuple[Check, ...]) -> None:
    """Values that do not parse as their type come first, then the contract's row rules; earliest line wins.

    A first pass asks only whether every row keeps every rule (one conjunction, evaluated vector by vector
    on the rows still in question); the earliest line of each broken rule is sought only when one is broken.
    """
    fine = [f"{flag} is not true" for flag in flags.values()]
    fine += [f"coalesce(({c.predicate}), false)" for c in checks]
    if not fine:
        return
    if con.execute(f"select coalesce(bool_and({' and '.join(fine)}), true) from _typed").fetchone()[0]:
        return
    probes = [f"min({line}) filter (where {flag})" for flag in flags.values()]
    probes += [f"min({line}) filter (where not coalesce(({c.predicate}), false))" for c in checks]
    firsts = con.execute(f"select {', '.join(probes)} from _typed").fetchone()
    bad_types = [(n, name) for n, name in zip(firsts[: len(flags)], flags, strict=True) if n is not None]
    if bad_types:
        first, name = min(bad_types, key=lambda e: e[0])
        col = next(c for c in table.columns if c.name == name)
        value = text_at(con, rows, positions[name], first)
        raise ContractError(rel, f"value {value!r} is not a valid {_type_word(col.type)}", line=first,
                            column=col.header)
    broken = [(n, check) for n, check in zip(firsts[len(flags):], checks, strict=True) if n is not None]
    if broken:
        first, check = min(broken, key=lambda b: b[0])
        col = next((c.header for c in table.columns if c.name == check.column), check.column)
        raise ContractError(rel, check.message, line=first, column=col)


def text_at(con, rows: TextRows, position: int, line: int) -> str | None:
    """The text of one field, read again from the source (only on the way to an error message)."""
    if rows.line:
        sql = f'select "c{position}" from {rows.relation} where {rows.line} = ?'
    else:
        sql = (f'select "c{position}" from (select *, row_number() over () + {rows.first_line - 1} as _linje '
               f"from {rows.relation}) where _linje = ?")
    found = con.execute(sql, [*rows.params, line]).fetchone()
    return found[0] if found else None


def check_unique(con, table: RawTable, rel: str, line: str, unique_key: tuple[str, ...],
                  identical_repeats_ok: bool) -> None:
    """A key that must be unique within the file (or repeat only with identical content).

    One hash aggregate over the key alone finds the repeated keys (a national extract has ~1 M rows a
    file); only their rows are compared, and the reported line is the first whose content differs from
    the key's first row (or, without identical repeats, the key's second row).
    """
    if not _keys_may_repeat(con, unique_key):
        return
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


def _keys_may_repeat(con, unique_key: tuple[str, ...]) -> bool:
    """Whether any key may occur twice: a first pass counting the keys' distinct hashes (integers are cheaper
    to gather than the text keys). As many distinct hashes as keys means every key is different; a shared
    hash sends the keys to the exact check, which tells a repeat from a collision."""
    key = ", ".join(f'"{k}"' for k in unique_key)
    present = " and ".join(f'"{k}" is not null' for k in unique_key)
    keys, hashes = con.execute(f"select count(*), count(distinct hash({key})) from _typed where {present}").fetchone()
    return hashes < keys


def _type_word(type_: str) -> str:
    return {
        "INTEGER": "whole number", "BIGINT": "whole number", "DOUBLE": "number",
        "DATE": "date (YYYY-MM-DD)", "TIMESTAMP": "date-time (YYYY-MM-DD HH:MM:SS)", "BOOLEAN": "boolean",
    }.get(type_, type_.lower())


# --- the collecting mode (`tryghed check`): every broken rule, with its first lines and a count ----------
def collect_rows(con, rows: TextRows, table: RawTable, rel: str, positions: dict[str, int], line: str,
                 flags: dict[str, str], checks: tuple[Check, ...], problems: Problems) -> int:
    """Like check_rows, but records every broken rule (the first `problems.cap` lines of each, with the
    number of lines breaking it) instead of raising at the first. Returns the number of problems found."""
    conditions = [(name, flag) for name, flag in flags.items()]
    # a value that does not parse is reported as such, not again by the rules on its (empty) column
    rules = [f"not coalesce(({c.predicate}), false)"
             + (f" and not {flags[c.column]}" if c.column in flags else "") for c in checks]
    if not conditions and not rules:
        return 0
    wheres = [flag for _, flag in conditions] + rules
    counts = con.execute(f"select {', '.join(f'count(*) filter (where {w})' for w in wheres)} from _typed"
                         ).fetchone()
    before = len(problems)
    for index, where in enumerate(wheres):
        n = counts[index]
        if not n:
            continue
        lines = [r[0] for r in con.execute(f"select {line} from _typed where {where} order by 1 limit "
                                           f"{problems.cap}").fetchall()]
        if index < len(conditions):
            name = conditions[index][0]
            col = next(c for c in table.columns if c.name == name)
            texts = texts_at(con, rows, positions[name], lines)
            for number in lines:
                problems.append(Problem(rel, f"value {texts.get(number)!r} is not a valid {_type_word(col.type)}",
                                        number, col.header, n))
        else:
            check = checks[index - len(conditions)]
            header = next((c.header for c in table.columns if c.name == check.column), check.column)
            problems.extend(Problem(rel, check.message, number, header, n) for number in lines)
    return len(problems) - before


def texts_at(con, rows: TextRows, position: int, lines: list[int]) -> dict[int, str | None]:
    """The text of one field on several lines, read again from the source in one pass."""
    if not lines:
        return {}
    wanted = ", ".join(str(int(n)) for n in lines)
    if rows.line:
        sql = f'select {rows.line}, "c{position}" from {rows.relation} where {rows.line} in ({wanted})'
    else:
        sql = (f'select _linje, "c{position}" from (select *, row_number() over () + {rows.first_line - 1} '
               f"as _linje from {rows.relation}) where _linje in ({wanted})")
    return dict(con.execute(sql, list(rows.params)).fetchall())


def collect_unique(con, table: RawTable, rel: str, line: str, unique_key: tuple[str, ...],
                   identical_repeats_ok: bool, problems: Problems) -> int:
    """Like check_unique, but records every repeated key's lines (capped), with their count."""
    if not _keys_may_repeat(con, unique_key):
        return 0
    key = ", ".join(f'"{k}"' for k in unique_key)
    content = ", ".join(f'"{c.name}"' for c in table.columns)
    differs = "r._indhold <> f.foerste_indhold" if identical_repeats_ok else "true"
    found = con.execute(
        f"""with gentagne as (
              select {key} from _typed where {" and ".join(f'"{k}" is not null' for k in unique_key)}
              group by {key} having count(*) > 1),
            raekker as (
              select {key}, {line} as _linje, hash({content}) as _indhold
              from _typed semi join gentagne using ({key})),
            foerste as (
              select {key}, min(_linje) as foerste_linje, arg_min(_indhold, _linje) as foerste_indhold
              from raekker group by {key}),
            brud as (
              select r._linje, f.foerste_linje
              from raekker as r inner join foerste as f using ({key})
              where r._linje > f.foerste_linje and {differs})
            select _linje, foerste_linje, count(*) over () from brud order by _linje limit {problems.cap}"""
    ).fetchall()
    col = next(c.header for c in table.columns if c.name == unique_key[-1])
    what = "with different content " if identical_repeats_ok else ""
    for number, first, n in found:
        problems.append(Problem(rel, f"duplicate {'/'.join(unique_key)} {what}(first seen on line {first})",
                                number, col, n))
    return len(found)
