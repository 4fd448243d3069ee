"""Reading a table for validation: only the columns a suite mentions, and for large tables only the
*candidate rows*.

A national police extract has ~10 million rows; it is not copied into pandas whole. DuckDB first keeps
every row that might break a row rule of the suite (the negation of each rule, written loosely so it can
only keep too many rows, never too few), every row of a key that repeats, the first row of each distinct
value for the distinct-value rules, and every file's first lines (so column types are always seen); GX
validates those, in file order. GX still decides every outcome; counts, first file/line/column and
examples are the same as on the whole table, because no violating row is left out. A suite with a rule
this module cannot pre-filter is validated whole (`CANDIDATE_ROWS_FROM` rows).
"""

from __future__ import annotations

from expectations.refresh_rows import keys_of, refresh_rows, scope_table
from expectations.suites import Suite, derived_sql

LINEAGE = ("kildefil", "kildelinje")


def mentioned_columns(suite: Suite) -> list[str]:
    cols: list[str] = []
    for _, kwargs, *_ in suite.expectations:
        for key in ("column", "column_A", "column_B"):
            if key in kwargs:
                cols.append(kwargs[key])
        cols += list(kwargs.get("column_list", [])) + list(kwargs.get("column_set", []))
    return list(dict.fromkeys(cols))


# Tables with lineage and more rows than this are pre-filtered to candidate rows (see the module's docstring).
CANDIDATE_ROWS_FROM = 200_000


SAMPLE_LINES = 1_000  # every file's first lines are always validated (column types, a non-empty batch)


def _sql_literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


_FAMILIES = {bool: ("BOOLEAN",), int: ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "DOUBLE", "FLOAT"),
             float: ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "DOUBLE", "FLOAT"), str: ("VARCHAR",)}


def _might_fail(cls_name: str, kwargs: dict, types: dict[str, str]) -> str | None:
    """SQL that is true for every row the expectation could find unexpected (and maybe a few more).

    None: the rule is not row-local here (or unknown, or its values do not match the column's type), so the
    table must be validated whole. "false": the expectation needs no particular rows (column names and
    types are seen in any rows).
    """
    def q(name: str) -> str:
        return f'"{name}"'

    c = q(kwargs["column"]) if "column" in kwargs else None
    if cls_name in ("ExpectTableColumnsToMatchSet", "ExpectColumnValuesToBeInTypeList"):
        return "false"
    if cls_name == "ExpectColumnValuesToNotBeNull":
        return f"{c} is null"
    if cls_name == "ExpectColumnValuesToBeBetween":
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        if any(v is not None and not isinstance(v, int | float) for v in (low, high)):
            return None
        # the bounds themselves are kept as candidates (<=, >=), so strict and non-strict rules are covered
        parts = [f"{c} <= {_sql_literal(low)}"] if low is not None else []
        parts += [f"{c} >= {_sql_literal(high)}"] if high is not None else []
        return f"{c} is not null and ({' or '.join(parts) or 'true'})"
    if cls_name == "ExpectColumnValuesToBeInSet":
        values = kwargs["value_set"]
        family = {type(v) for v in values}
        column_type = types.get(kwargs["column"], "BOOLEAN")  # derived yes/no columns are BOOLEAN
        if len(family) != 1 or column_type not in _FAMILIES.get(family.pop(), ()):
            return None
        return f"{c} is not null and {c} not in ({', '.join(_sql_literal(v) for v in values)})"
    if cls_name == "ExpectColumnValuesToMatchRegex":
        # RE2's \d and \w are ASCII-only, Python's are not: RE2 keeps at least every row Python rejects
        pattern = _sql_literal(kwargs["regex"])
        return f"{c} is not null and not coalesce(regexp_matches(cast({c} as varchar), {pattern}), false)"
    if cls_name == "ExpectColumnPairValuesAToBeGreaterThanB":
        a, b = q(kwargs["column_A"]), q(kwargs["column_B"])
        below = f"{a} < {b}" if kwargs.get("or_equal") else f"{a} <= {b}"
        if kwargs.get("ignore_row_if") == "either_value_is_missing":
            return f"{a} is not null and {b} is not null and {below}"
        return f"{a} is null or {b} is null or {below}"
    if cls_name == "ExpectColumnValuesToBeUnique":
        return f"{c} is not null and count(*) over (partition by {c}) > 1"
    if cls_name == "ExpectCompoundColumnsToBeUnique":
        key = ", ".join(q(k) for k in kwargs["column_list"])
        return f"count(*) over (partition by {key}) > 1"
    if cls_name in ("ExpectColumnDistinctValuesToContainSet", "ExpectColumnDistinctValuesToEqualSet"):
        return f"row_number() over (partition by {c} order by kildefil, kildelinje) = 1"
    return None


def _over_other_rows(sql: str) -> bool:
    """A derived rule whose value on a row depends on other rows (a subquery or a window)."""
    low = " ".join(sql.lower().split())
    return "select" in low or " over (" in low or " over(" in low


def new_rows_sql(new_files: list[str]) -> str:
    """True on the rows of the given files (the files a refresh validates)."""
    return f"kildefil in ({', '.join(_sql_literal(f) for f in new_files)})" if new_files else "false"


def _scope_usable(suite: Suite, column: str | None, present: set[str], scoped: bool) -> tuple[str, ...] | None:
    scope = suite.scopes.get(column) if scoped and column else None
    return scope if scope and set(scope) <= present else None


def _in_scope(suite: Suite, scope: tuple[str, ...], new: str) -> str:
    key = ", ".join(f'"{k}"' for k in scope)
    return f"({key}) in (select {key} from {suite.table} where {new})"


def scope_tables(suite: Suite, scopes: list[tuple[str, ...]], new: str) -> str:
    """The WITH clause computing, once per key, every row of the keys a new row touches: a scoped rule
    reads them once or twice (e.g. police's journal-number rule, at 10 M rows a scan of the table each),
    and a refresh's read may start from them (expectations/refresh_rows.py)."""
    scopes = list(dict.fromkeys(scopes))
    if not scopes:
        return ""
    return "with " + ", ".join(f"{scope_table(scope)} as materialized (select * from {suite.table} where "
                               f"{_in_scope(suite, scope, new)})" for scope in scopes) + " "


def scoped_derived(suite: Suite, name: str, new: str) -> str:
    """A scoped derived rule evaluated against the rows of the keys a new row touches only (every row of
    the table with such a key, old or new; the read's WITH clause, scope_tables). A row of another key
    keeps the value it had when the table passed, true: nothing it depends on changed (no file was
    removed, see read_table)."""
    scope = suite.scopes[name]
    sql = derived_sql(suite.derived[name])[1]
    return (f"case when {_in_scope(suite, scope, new)} then ({sql.replace(suite.table, scope_table(scope))}) "
            "else true end")


NEW = ("new",)  # a reach (see _only_new): the new files' rows


def _only_new(cls_name: str, kwargs: dict, severity: str, pred: str, suite: Suite, present: set[str],
              new: str, scoped: bool = True, per_file: bool = False) -> tuple[str, tuple | None]:
    """`pred` narrowed to what a refresh must look at, when every other file already passed the suite, and
    its reach: which rows it can keep at all (expectations/refresh_rows.py reads only those).

    A row rule: the new files' rows (NEW). A uniqueness rule: the keys a new row has (with every row of
    those keys, old or new: ("keys", columns)). A derived rule over other rows: with a scope, the scope's
    keys a new row touches (("keys", scope)); without one, the whole table. A warning whose old files'
    findings are recorded (`per_file`, expectations/file_warnings.py): the new files' rows. Other
    warnings, and the distinct-value rules (which a removed file can break), are always evaluated on the
    whole table. A whole-table rule on a file rule (Suite.file_rules) reaches the rows of the files it
    flags (("files", rule)); any other reaches every row (None).
    """
    column = kwargs.get("column")
    files = ("files", column) if column in suite.file_rules and kwargs.get("value_set") == [True] else None
    if per_file:
        return f"{pred} and {new}", NEW
    if severity != "error" or cls_name in ("ExpectColumnDistinctValuesToContainSet",
                                           "ExpectColumnDistinctValuesToEqualSet"):
        return pred, files
    if cls_name in ("ExpectColumnValuesToBeUnique", "ExpectCompoundColumnsToBeUnique"):
        key = tuple(kwargs.get("column_list", [kwargs.get("column")]))
        partition = ", ".join(f'"{k}"' for k in key)
        return f"{pred} and bool_or({new}) over (partition by {partition})", ("keys", key)
    if column in suite.derived and _over_other_rows(derived_sql(suite.derived[column])[1]):
        scope = _scope_usable(suite, column, present, scoped)
        if scope is None:
            return pred, files
        return f"{pred} and {_in_scope(suite, scope, new)}", ("keys", scope)
    return f"{pred} and {new}", NEW


def candidate_filter(suite: Suite, present: set[str], types: dict[str, str],
                     new_files: list[str] | None = None, scoped: bool = True,
                     per_file: frozenset[int] = frozenset(), reaches: list | None = None) -> str | None:
    """The filter (a QUALIFY clause) keeping the candidate rows, or None when the suite must be validated whole.

    With `new_files` (a refresh: every other file of the table passed this suite before), only the
    candidates a new file's rows can make (see _only_new), and the first lines of the new files and of
    one old file (so column types are always seen). `per_file`: the numbers of the suite's warnings
    whose findings in the old files are recorded. `reaches`, when given, receives each filter's reach
    (see _only_new; the first lines are ("first", their filter)).
    """
    new = None if new_files is None else new_rows_sql(new_files)
    first = f"kildelinje <= {SAMPLE_LINES}"
    if new is not None:
        first += f" and ({new} or kildefil = (select min(kildefil) from {suite.table}))"
    preds = [f"({first})"]
    reached = [("first", first)]
    for number, (cls_name, kwargs, severity, *_) in enumerate(suite.expectations):
        cols = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
        cols += [] if cls_name == "ExpectTableColumnsToMatchSet" else list(kwargs.get("column_list", []))
        if any(col not in present for col in cols):
            continue  # GX reports the missing column itself, on any rows
        pred = _might_fail(cls_name, kwargs, types)
        if pred is None:
            return None
        if pred != "false":
            pred = f"({pred})"
            reach = None
            if new is not None:
                narrowed, reach = _only_new(cls_name, kwargs, severity, pred, suite, present, new, scoped,
                                            number in per_file)
                pred = f"({narrowed})"
            preds.append(pred)
            reached.append(reach)
    if reaches is not None:
        reaches += reached
    return " or ".join(preds)


def read_table(con, suite: Suite, new_files: list[str] | None = None, files_removed: bool = False,
               per_file: frozenset[int] = frozenset()):
    """The suite's columns (those that exist) and derived columns as a pandas frame, in file order.

    Returns (frame, has_lineage, problems, rows): problems name what could not be read, reported as errors;
    rows is the table's row count (the frame may hold only the candidate rows of a large table).
    With `new_files` (a refresh, expectations/record.py), the rows those files' rows can make fail: of a
    large table their candidates, of a small one all their rows, plus the candidates of the rules over
    the whole table. A scoped derived rule is then computed for the touched keys only, unless a file was
    removed (`files_removed`: a removed row could change a key's value, so the whole table).
    `per_file`: the warnings looked for in the new files only (see candidate_filter).
    """
    schema, name = suite.schema, suite.name
    existing = [
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
            "order by ordinal_position",
            [schema, name],
        ).fetchall()
    ]
    if not existing:
        return None, False, [f"table {suite.table} does not exist"], 0
    wanted = [c for c in mentioned_columns(suite) if c not in suite.derived]
    has_lineage = all(c in existing for c in LINEAGE)
    select = [c for c in dict.fromkeys(wanted + (list(LINEAGE) if has_lineage else [])) if c in existing]
    scoped = new_files is not None and not files_removed
    new = new_rows_sql(new_files or [])

    in_scope = [k for k in suite.derived if scoped and _scope_usable(suite, k, set(existing), True)]

    def value(name: str, sql) -> str:
        return scoped_derived(suite, name, new) if name in in_scope else derived_sql(sql)[1]

    derived = [f'coalesce(({value(k, v)}), false) as "{k}"' for k, v in suite.derived.items()]
    order = " order by kildefil, kildelinje" if has_lineage else ""
    cols = ", ".join([f'"{c}"' for c in select] + derived) or "1 as _leer"
    problems: list[str] = []
    types = dict(
        con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchall()
    )
    rows = con.execute(f"select count(*) from {suite.table}").fetchone()[0]

    frame = None
    present = set(select) | set(suite.derived)
    reaches: list = []
    source = suite.table  # the rows the read starts from
    if has_lineage and new_files is not None:
        where = candidate_filter(suite, present, types, new_files, scoped, per_file, reaches)
        if where is not None and rows <= CANDIDATE_ROWS_FROM:
            where = f"({new_rows_sql(new_files)}) or {where}"
        elif where is not None:  # a large table: only the rows the filters can keep (refresh_rows.py)
            try:
                restricted = refresh_rows(con, suite, new, reaches)
            except Exception:  # e.g. a file rule that cannot be computed once per file: every row
                restricted = None
            source = suite.table if restricted is None else f"{restricted} as {name}"
    elif has_lineage and rows > CANDIDATE_ROWS_FROM:
        where = candidate_filter(suite, present, types)
    else:
        where = None
    keys = [suite.scopes[k] for k in in_scope] + (keys_of(reaches) if source != suite.table else [])
    scopes = scope_tables(suite, keys, new)

    def read(columns: str, where: str | None, with_: str = scopes, rows_from: str = suite.table):
        if where is None:
            return con.execute(f"{with_}select {columns} from {rows_from}{order}").df()
        # the uniqueness and distinct-value filters are window functions: those need qualify instead of where
        clause = "qualify" if " over (" in where else "where"
        return con.execute(f"{with_}select * from (select {columns} from {rows_from}) {clause} {where}{order}").df()

    if where is not None:
        try:
            frame = read(cols, where, rows_from=source)
        except Exception:  # e.g. a derived rule that cannot be computed: the whole table, below, says why
            frame = None
    if frame is None:
        try:
            frame = read(cols, None)
        except Exception as exc:  # a derived rule that cannot be computed (e.g. a column is missing)
            problems.append(f"derived columns of {suite.table} cannot be computed: {str(exc).splitlines()[0]}")
            plain = ", ".join(f'"{c}"' for c in select) or "1 as _leer"
            frame = read(plain, None, "")
    # DuckDB hands over whole numbers with NULLs as float; keep them whole so type checks see the real type
    for col in frame.columns:
        if types.get(col) in ("INTEGER", "BIGINT", "SMALLINT") and frame[col].dtype.kind == "f":
            frame[col] = frame[col].astype("Int64")
    return frame, has_lineage, problems, rows
