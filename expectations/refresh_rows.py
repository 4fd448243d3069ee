"""The rows a refresh reads of a large table: only those its candidate filters can keep, not every row.

A refresh's candidate filters (expectations/prefilter.py) keep rows of the new files, every row of the
keys a new row touches (a uniqueness rule, a scoped rule), the first lines, and the rows of the files a
file rule flags (Suite.file_rules). Applied as one filter to a national police extract, they read all of
its ~10 M rows with every column and compute every derived column, to keep a few thousand: most of the
refresh's read. When each filter's reach is one of those (no rule needs the whole table), the read starts
from their union instead, each part found cheaply and every row once: the new files' rows and the first
lines through the scan's filters, the touched keys' rows from the read's WITH clause (prefilter's
scope_tables), the flagged files' rows by name (a file rule is evaluated once per file first).

The candidate filter then keeps exactly the rows it keeps on the whole table: a row's derived values are
the same (their subqueries read the table itself; a suite with a derived rule over a window, whose value
depends on the rows read, is read as before), and a uniqueness window sees every row of a touched key.
"""

from __future__ import annotations

from expectations.suites import Suite, derived_sql


def scope_table(scope: tuple[str, ...]) -> str:
    """The name of the rows of the keys a new row touches (a CTE of the read, prefilter.scope_tables)."""
    return "i_scope_" + "_".join(scope)


def _has_window(sql: str) -> bool:
    low = " ".join(sql.lower().split())
    return " over (" in low or " over(" in low


def _flagged_files(con, suite: Suite, rule: str) -> list[str]:
    """The files whose rows a file rule finds false (or cannot decide), evaluated once per file."""
    sql = derived_sql(suite.derived[rule])[1]
    return [f for (f,) in con.execute(f"select kildefil from (select distinct kildefil from {suite.table}) "
                                      f"where not coalesce(({sql}), false) order by kildefil").fetchall()]


def _in(values: list[str]) -> str:
    return "kildefil in (" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")" if values else "false"


def refresh_rows(con, suite: Suite, new: str, reaches: list) -> str | None:
    """A relation (a parenthesised union) holding every row the candidate filters with these reaches can
    keep, each once; None when some filter can keep any row (then the read starts from the whole table).
    The keys' parts read the WITH clause of prefilter.scope_tables for the keys in `keys_of(reaches)`."""
    if any(reach is None for reach in reaches) or any(_has_window(derived_sql(sql)[1])
                                                       for sql in suite.derived.values()):
        return None
    parts: list[str] = []
    taken: list[str] = []  # what the parts before hold: a row there is not read again

    def part(source: str, own: str | None, holds: str) -> None:
        conditions = ([own] if own else []) + [f"not coalesce(({t}), false)" for t in taken]
        parts.append(f"select * from {source}" + (f" where {' and '.join(conditions)}" if conditions else ""))
        taken.append(holds)

    part(suite.table, new, new)
    for key in keys_of(reaches):
        columns = ", ".join(f'"{k}"' for k in key)
        part(scope_table(key), None, f"({columns}) in (select {columns} from {suite.table} where {new})")
    for reach in dict.fromkeys(r for r in reaches if r[0] == "first"):
        part(suite.table, reach[1], reach[1])
    for rule in dict.fromkeys(r[1] for r in reaches if r[0] == "files"):
        flagged = _in(_flagged_files(con, suite, rule))
        part(suite.table, flagged, flagged)
    return "(" + " union all ".join(parts) + ")"


def keys_of(reaches: list) -> list[tuple[str, ...]]:
    """The keys whose touched rows the reaches read (each once)."""
    return list(dict.fromkeys(r[1] for r in reaches if r is not None and r[0] == "keys"))
