"""The bridge between the suites (expectations/suites.py), Great Expectations 1.x and Dagster asset checks.

dagster-ge only supports GX < 1.0, so this small module does the job itself. It is built around two costs:
importing GX takes ~15 s here, so GX is imported inside `validate_tables` only (never when Dagster loads the
code), and a GX context is not free either, so one call validates every table of a stage in one ephemeral
context (one pandas batch per table). Tables are read from the working DuckDB database read-only, with only
the columns the suite mentions plus the derived yes/no columns, so the pipeline's own connections are never
held up.

Large raw tables (a national police extract has ~10 million rows) are not copied into pandas whole: DuckDB
first keeps the *candidate rows* — every row that might break a row rule of the suite (the negation of each
rule, written loosely so it can only keep too many rows, never too few), every row of a key that repeats,
the first row of each distinct value for the distinct-value rules, and every file's first lines (so
column types are always seen) — and GX validates those, in file order. GX still decides every outcome; counts,
first file/line/column and examples are the same as on the whole table, because no violating row is left
out. A suite with a rule this module cannot pre-filter is validated whole (`CANDIDATE_ROWS_FROM` rows).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from expectations.suites import SUITES, Suite

LINEAGE = ("kildefil", "kildelinje")
CONTRACT_CHECK = "gx_kontrakt"


@dataclass(frozen=True)
class Outcome:
    """One expectation's result, reduced to what a reader of the run's summary needs."""

    expectation: str  # GX's snake_case type, e.g. expect_column_values_to_be_between
    column: str | None  # the column the rule is about (the file's header name for raw tables)
    severity: str  # "error" | "warn"
    check_name: str  # the Dagster check it reports to
    success: bool
    unexpected_count: int | None
    description: str  # one line, naming file, line and column where the table has lineage
    kildefil: str | None = None
    kildelinje: int | None = None
    reason: str = ""  # the description without the place (file, line, column)


@dataclass
class TableResult:
    table: str
    rows: int
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "error"]

    @property
    def warnings(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "warn"]

    @property
    def passed(self) -> bool:
        return not self.errors


def check_name(entry: tuple) -> str:
    """Errors of a table share one blocking check; each warning note gets a check of its own, so the run's
    summary (which lists check names) says what the warning is about."""
    if entry[2] == "warn":
        return f"gx_{entry[3]}" if len(entry) > 3 and entry[3] else "gx_advarsel"
    return CONTRACT_CHECK


def check_names(suite: Suite) -> list[str]:
    """The Dagster checks a suite reports to: the blocking contract check first, then the warnings."""
    names = [CONTRACT_CHECK]
    for entry in suite.expectations:
        name = check_name(entry)
        if name not in names:
            names.append(name)
    return names


def _mentioned_columns(suite: Suite) -> list[str]:
    cols: list[str] = []
    for _, kwargs, *_ in suite.expectations:
        for key in ("column", "column_A", "column_B"):
            if key in kwargs:
                cols.append(kwargs[key])
        cols += list(kwargs.get("column_list", [])) + list(kwargs.get("column_set", []))
    return list(dict.fromkeys(cols))


def _derived_sql(value) -> tuple[str | None, str]:
    return (value[0], value[1]) if isinstance(value, tuple) else (None, value)


def _file_headers(table: str) -> dict[str, str]:
    """Raw column name -> the name in the delivered file (OMRÅDE, År, ...): messages use the file's words."""
    from assets.raw_schema import RAW_TABLES

    for raw in RAW_TABLES:
        if f"raw.{raw.name}" == table:
            return {c.name: c.header for c in raw.all_columns}
    return {}


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


def _candidate_filter(suite: Suite, present: set[str], types: dict[str, str]) -> str | None:
    """The filter (a QUALIFY clause) keeping the candidate rows, or None when the suite must be validated whole."""
    preds = [f"kildelinje <= {SAMPLE_LINES}"]
    for cls_name, kwargs, *_ in suite.expectations:
        cols = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
        cols += [] if cls_name == "ExpectTableColumnsToMatchSet" else list(kwargs.get("column_list", []))
        if any(col not in present for col in cols):
            continue  # GX reports the missing column itself, on any rows
        pred = _might_fail(cls_name, kwargs, types)
        if pred is None:
            return None
        if pred != "false":
            preds.append(f"({pred})")
    return " or ".join(preds)


def _read_table(con, suite: Suite):
    """The suite's columns (those that exist) and derived columns as a pandas frame, in file order.

    Returns (frame, has_lineage, problems, rows): problems name what could not be read, reported as errors;
    rows is the table's row count (the frame may hold only the candidate rows of a large table).
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
    wanted = [c for c in _mentioned_columns(suite) if c not in suite.derived]
    has_lineage = all(c in existing for c in LINEAGE)
    select = [c for c in dict.fromkeys(wanted + (list(LINEAGE) if has_lineage else [])) if c in existing]
    derived = [f'coalesce(({_derived_sql(v)[1]}), false) as "{k}"' for k, v in suite.derived.items()]
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

    def read(columns: str, where: str | None):
        if where is None:
            return con.execute(f"select {columns} from {suite.table}{order}").df()
        # the uniqueness and distinct-value filters are window functions: those need qualify instead of where
        clause = "qualify" if " over (" in where else "where"
        return con.execute(f"select * from (select {columns} from {suite.table}) {clause} {where}{order}").df()

    frame = None
    if has_lineage and rows > CANDIDATE_ROWS_FROM:
        where = _candidate_filter(suite, set(select) | set(suite.derived), types)
        if where is not None:
            try:
                frame = read(cols, where)
            except Exception:  # e.g. a derived rule that cannot be computed: the whole table, below, says why
                frame = None
    if frame is None:
        try:
            frame = read(cols, None)
        except Exception as exc:  # a derived rule that cannot be computed (e.g. a column is missing)
            problems.append(f"derived columns of {suite.table} cannot be computed: {str(exc).splitlines()[0]}")
            plain = ", ".join(f'"{c}"' for c in select) or "1 as _leer"
            frame = read(plain, None)
    # DuckDB hands over whole numbers with NULLs as float; keep them whole so type checks see the real type
    for col in frame.columns:
        if types.get(col) in ("INTEGER", "BIGINT", "SMALLINT") and frame[col].dtype.kind == "f":
            frame[col] = frame[col].astype("Int64")
    return frame, has_lineage, problems, rows


def validate_tables(
    database: Path, tables: list[str], docs_dir: Path | None = None, suites: dict[str, Suite] | None = None
) -> dict[str, TableResult]:
    """Validate the named tables (`raw.police`, `marts.fct_tryghed`, ...) against their suites in one context.

    Data Docs are (re)built into `docs_dir` when given. Returns one TableResult per table, in order.
    """
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from assets.database import connect

    suites = suites or SUITES
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if docs_dir is not None:
        Path(docs_dir).mkdir(parents=True, exist_ok=True)
        context.add_data_docs_site(
            "kvalitet",
            {
                "class_name": "SiteBuilder",
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
            },
        )
    datasources: dict[str, object] = {}
    results: dict[str, TableResult] = {}

    with connect(database, read_only=True) as con:
        frames = {t: _read_table(con, suites[t]) for t in tables}

    for table in tables:
        suite = suites[table]
        frame, has_lineage, problems, rows = frames[table]
        result = TableResult(table, rows)
        results[table] = result
        for problem in problems:
            result.outcomes.append(Outcome("read_table", None, "error", CONTRACT_CHECK, False, None, problem))
        if frame is None:
            continue
        if suite.schema not in datasources:
            datasources[suite.schema] = context.data_sources.add_pandas(suite.schema)
        batch_def = (
            datasources[suite.schema]
            .add_dataframe_asset(suite.name)
            .add_batch_definition_whole_dataframe("hele_tabellen")
        )
        expectations = []
        for number, entry in enumerate(suite.expectations):
            cls_name, kwargs, severity = entry[:3]
            meta = {"nr": number, "severity": severity, "check": check_name(entry)}
            if len(entry) > 3 and entry[3]:
                meta["note"] = entry[3]
            expectations.append(getattr(gxe, cls_name)(**kwargs, meta=meta))
        # built whole, then added once: adding expectations to a stored suite re-serialises it every time
        gx_suite = context.suites.add(gx.ExpectationSuite(name=table, expectations=expectations))
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=table, data=batch_def, suite=gx_suite)
        )
        result_format = {"result_format": "SUMMARY", "partial_unexpected_count": 1}
        if has_lineage:
            result_format["unexpected_index_column_names"] = list(LINEAGE)
        run = definition.run(batch_parameters={"dataframe": frame}, result_format=result_format)
        headers = _file_headers(table)
        for evr in sorted(run.results, key=lambda r: r.expectation_config.meta["nr"]):
            entry = suite.expectations[evr.expectation_config.meta["nr"]]
            result.outcomes.append(_outcome(evr, entry, suite, headers))

    if docs_dir is not None:
        context.build_data_docs(site_names=["kvalitet"])
    return results


def _outcome(evr, entry: tuple, suite: Suite, headers: dict[str, str]) -> Outcome:
    cls_name, kwargs, severity = entry[:3]
    kind = evr.expectation_config.type
    column = kwargs.get("column") or kwargs.get("column_A") or (kwargs.get("column_list") or [None])[-1]
    derived = column in suite.derived
    if derived:
        column = _derived_sql(suite.derived[column])[0] or column
    header = headers.get(column, column)
    res = evr.result or {}
    exception = evr.exception_info or {}
    if isinstance(exception, dict) and exception.get("raised_exception"):
        message = str(exception.get("exception_message") or "error").splitlines()[0]
        where = f"{suite.table}, column '{header}'" if header else suite.table
        return Outcome(
            kind,
            header,
            severity,
            check_name(entry),
            False,
            None,
            f"{where}: {kind} could not run: {message}",
        )
    count = res.get("unexpected_count")
    first = (res.get("partial_unexpected_index_list") or [None])[0]
    kildefil = kildelinje = None
    if isinstance(first, dict) and "kildefil" in first:
        kildefil, kildelinje = first.get("kildefil"), int(first.get("kildelinje"))
    if evr.success:
        return Outcome(
            kind, header, severity, check_name(entry), True, count, f"{suite.table}: {kind} passed"
        )
    where = [kildefil or suite.table]
    if kildelinje is not None:
        where.append(f"line {kildelinje}")
    if header:
        where.append(f"column '{header}'")
    detail = []
    if count is not None:
        detail.append(f"{count} row{'s' if count != 1 else ''}")
        example = (res.get("partial_unexpected_list") or [None])[0]
        if example is not None and not derived:
            detail.append(f"e.g. {_short(example)}")
    elif "observed_value" in res:
        detail.append(f"observed {_short(res['observed_value'])}")
    note = entry[3] if len(entry) > 3 and entry[3] else _rule(cls_name, kwargs)
    if derived and kwargs["column"] != column:
        note = f"{note}; rule {kwargs['column']}" if note != f"rule {kwargs['column']}" else note
    reason = f"{kind} failed ({', '.join(detail) or 'no details'})" + (f" [{note}]" if note else "")
    return Outcome(
        kind,
        header,
        severity,
        check_name(entry),
        False,
        count,
        f"{', '.join(where)}: {reason}",
        kildefil,
        kildelinje,
        reason,
    )


def write_docs_index(root: Path, sites: dict[str, str]) -> Path:
    """A plain page linking the stages' Data Docs sites (GX rebuilds a site from its in-memory stores and
    removes pages it does not know, so each stage gets a site of its own under one root)."""
    root.mkdir(parents=True, exist_ok=True)
    links = "\n".join(
        f'<li><a href="{folder}/index.html">{title}</a></li>' for folder, title in sites.items()
    )
    index = root / "index.html"
    index.write_text(
        '<!doctype html>\n<html lang="da"><head><meta charset="utf-8"><title>Datakvalitet</title></head>\n'
        f"<body><h1>Datakvalitet (Great Expectations)</h1>\n<ul>\n{links}\n</ul></body></html>\n",
        encoding="utf-8",
    )
    return index


def _rule(cls_name: str, kwargs: dict) -> str:
    """A few words for the rule itself, from its arguments (the derived rules' names speak for themselves)."""
    if "value_set" in kwargs and kwargs["value_set"] != [True]:
        values = kwargs["value_set"]
        return "allowed: " + ", ".join(map(str, values[:12])) + (" …" if len(values) > 12 else "")
    if "min_value" in kwargs or "max_value" in kwargs:
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        return f"range {'' if low is None else low}–{'' if high is None else high}"
    if "regex" in kwargs:
        return f"pattern {kwargs['regex']}"
    if kwargs.get("value_set") == [True]:
        return f"rule {kwargs['column']}"
    return ""


def _short(value) -> str:
    text = repr(value.item() if hasattr(value, "item") else value)
    return text if len(text) <= 60 else text[:57] + "…"


def to_check_results(result: TableResult, asset_key=None, docs_index: Path | None = None) -> list:
    """Dagster check results for one table: the blocking contract check (ERROR) and each warning (WARN)."""
    import dagster as dg

    suite = SUITES.get(result.table)
    names = (
        check_names(suite) if suite else sorted({o.check_name for o in result.outcomes} | {CONTRACT_CHECK})
    )
    checks = []
    for name in names:
        outcomes = [o for o in result.outcomes if o.check_name == name]
        failed = [o for o in outcomes if not o.success]
        warn = name != CONTRACT_CHECK
        checks.append(
            dg.AssetCheckResult(
                asset_key=asset_key,
                check_name=name,
                passed=not failed,
                severity=dg.AssetCheckSeverity.WARN if warn else dg.AssetCheckSeverity.ERROR,
                description="; ".join(o.description for o in failed[:3]) or None,
                metadata={
                    "rows": dg.MetadataValue.int(result.rows),
                    "expectations": dg.MetadataValue.int(len(outcomes)),
                    "failed": dg.MetadataValue.int(len(failed)),
                    "failures": dg.MetadataValue.json(
                        [
                            {
                                "expectation": o.expectation,
                                "column": o.column,
                                "unexpected": o.unexpected_count,
                                "file": o.kildefil,
                                "line": o.kildelinje,
                                "message": o.description,
                            }
                            for o in failed
                        ]
                    ),
                    **({"data_docs": dg.MetadataValue.path(str(docs_index))} if docs_index else {}),
                },
            )
        )
    return checks
