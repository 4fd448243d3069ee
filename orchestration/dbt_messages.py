"""dbt results in words a person can act on (Danish, like the marts) and the tables' row counts.

A failed test says what it checks, on which model and column, how many rows broke it and the first of
them (the test's own compiled SQL, read again once the build is over), instead of `test 6dcf571a8e failed`.
"""

from __future__ import annotations

import re
from pathlib import Path

from assets.foundation.database import connect

FIRST_ROWS = 3
_REF = re.compile(r"""ref\(\s*['"]([^'"]+)['"]\s*\)""")


def _ref_name(text: str | None) -> str:
    match = _REF.search(text or "")
    return match.group(1) if match else (text or "?")


def _values(values) -> str:
    shown = ", ".join(str(v) for v in list(values)[:8])
    return shown + (" …" if len(values) > 8 else "")


def rule_words(node: dict) -> tuple[str, str]:
    """(model, what the test requires) for a dbt test node of the manifest."""
    meta = node.get("test_metadata") or {}
    kwargs = meta.get("kwargs") or {}
    model = _ref_name(kwargs.get("model")) if kwargs.get("model") else \
        (node.get("attached_node") or "").split(".")[-1] or node.get("name", "?")
    column = kwargs.get("column_name") or node.get("column_name")
    name = meta.get("name")
    if name == "not_null":
        return model, f"'{column}' må ikke være tom"
    if name == "unique":
        return model, f"'{column}' skal være entydig"
    if name == "unique_combination":
        return model, f"({', '.join(kwargs.get('combination_of_columns', []))}) skal være entydig"
    if name == "accepted_values":
        return model, f"'{column}' skal være en af {_values(kwargs.get('values', []))}"
    if name == "relationships":
        return model, f"'{column}' skal findes i {_ref_name(kwargs.get('to'))}.{kwargs.get('field')}"
    if name == "mellem":
        return model, f"'{column}' skal ligge mellem {kwargs.get('min_value')} og {kwargs.get('max_value')}"
    if name == "udtryk_gaelder":
        return model, f"'{kwargs.get('udtryk')}' skal gælde for hver række"
    if name == "ingen_raekker":
        return model, "skal være tom"
    if name:
        return model, f"reglen {name}" + (f" på '{column}'" if column else "")
    description = (node.get("description") or "").strip() or _leading_comment(node.get("raw_code") or "")
    return node.get("name", "?"), description or f"testen {node.get('name', '?')} (dbt_project/tests/)"


def _leading_comment(sql: str) -> str:
    """A singular test's own explanation: the `--` comment lines at its top."""
    lines = []
    for line in sql.splitlines():
        stripped = line.strip()
        if stripped.startswith("{{") and not lines:
            continue
        if not stripped.startswith("--") or stripped.startswith("-- depends_on"):
            break
        lines.append(stripped[2:].strip())
    return " ".join(lines)


def describe_test(node: dict, failures, rows: list[dict] | None) -> str:
    """e.g. `dbt-test på int_anmeldelser_dedupliceret: 'gerningskode' skal findes i gerningskoder.gerningskode
    – 2 rækker bryder den; de første: gerningskode=9999; gerningskode=1499`."""
    model, rule = rule_words(node)
    severity = str((node.get("config") or {}).get("severity", "error")).lower()
    kind = "advarsel fra dbt-test" if severity == "warn" else "dbt-test"
    count = "?" if failures is None else str(failures)
    where = f"på {model}" if node.get("test_metadata") else model
    text = f"{kind} {where}: {rule} – {count} {'række' if failures == 1 else 'rækker'} bryder den"
    if rows and all(row.get("antal") == 1 for row in rows):
        rows = [{k: v for k, v in row.items() if k != "antal"} for row in rows]
    if rows:
        column = ((node.get("test_metadata") or {}).get("kwargs") or {}).get("column_name") or "værdi"
        names = {"from_field": column, "field": column}
        text += "; de første: " + "; ".join(
            ", ".join(f"{names.get(k, k)}={_short(v)}" for k, v in row.items()) for row in rows[:FIRST_ROWS])
    return text


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def first_rows(database: Path, compiled_sql: str, limit: int = FIRST_ROWS) -> list[dict] | None:
    """The first rows a test's SQL returns (its failing rows), or None when they cannot be read."""
    try:
        with connect(database, read_only=True, spatial=True) as con:
            # identical failing rows (a code repeated in many reports) are shown once, with their count
            cursor = con.execute(f"select *, count(*) as antal from ({compiled_sql.strip().rstrip(';')}) as _test "
                                 f"group by all order by antal desc, 1 limit {limit}")
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    except Exception:  # the message then gives the count alone
        return None


def row_counts(database: Path, nodes: list[dict]) -> dict[str, int]:
    """unique id -> rows, for the models and seeds stored as tables (views are not counted: that would
    run them again)."""
    tables = [n for n in nodes if n.get("resource_type") in ("model", "seed")
              and (n.get("resource_type") == "seed"
                   or (n.get("config") or {}).get("materialized") in ("table", "incremental"))]
    if not tables or not Path(database).exists():
        return {}
    sql = " union all ".join(
        f"select '{n['unique_id']}' as id, count(*) as n from \"{n['schema']}\".\"{n.get('alias') or n['name']}\""
        for n in tables)
    try:
        with connect(database, read_only=True) as con:
            return dict(con.execute(sql).fetchall())
    except Exception:
        return {}
