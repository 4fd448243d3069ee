"""dbt results in words a person can act on (Danish, like the marts) and the tables' row counts.

A failed test says what it checks, on which model and column, how many rows broke it and the first of
them (the test's own compiled SQL, read again once the build is over), instead of `test 6dcf571a8e failed`.
A model's column rules are one test (kolonneregler / kolonneadvarsler, decision 71) whose rows name the
rule they break (regel, kolonne, krav): its message lists each broken rule with its count and first rows.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from assets.foundation.database import connect

FIRST_ROWS = 3
RULES_SHOWN = 6  # of a kolonneregler test's broken rules, the message names this many
COMBINED_TESTS = ("kolonneregler", "kolonneadvarsler")
RULE_COLUMNS = ("regel", "kolonne", "krav", "vaerdi")  # the first columns of a kolonneregler test's rows
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
    if name in COMBINED_TESTS:
        return model, "kolonnereglerne (config.meta regler/advarsler i dbt-projektets YAML)"
    if name:
        return model, requirement(name, column, kwargs)
    description = (node.get("description") or "").strip() or _leading_comment(node.get("raw_code") or "")
    return node.get("name", "?"), description or f"testen {node.get('name', '?')} (dbt_project/tests/)"


def requirement(name: str, column: str | None, kwargs: dict) -> str:
    """What one rule requires, in Danish: the words of a one-rule test and of a kolonneregler row."""
    if name == "not_null":
        return f"'{column}' må ikke være tom"
    if name == "unique":
        return f"'{column}' skal være entydig"
    if name == "unique_combination":
        return f"({', '.join(kwargs.get('combination_of_columns', []))}) skal være entydig"
    if name == "accepted_values":
        return f"'{column}' skal være en af {_values(kwargs.get('values', []))}"
    if name == "relationships":
        return f"'{column}' skal findes i {_ref_name(kwargs.get('to'))}.{kwargs.get('field')}"
    if name == "mellem":
        return f"'{column}' skal ligge mellem {kwargs.get('min_value')} og {kwargs.get('max_value')}"
    if name == "udtryk_gaelder":
        return f"'{kwargs.get('udtryk')}' skal gælde for hver række"
    if name == "ingen_raekker":
        return "skal være tom"
    return f"reglen {name}" + (f" på '{column}'" if column else "")


def _rule_kwargs(regel: str, krav: str | None) -> dict:
    """A kolonneregler row's krav (the rule's arguments as JSON) as the kwargs of the one-rule test."""
    try:
        args = json.loads(krav) if krav else None
    except ValueError:
        args = krav
    if regel == "accepted_values":
        return {"values": args.get("values", []) if isinstance(args, dict) else args or []}
    if regel == "udtryk_gaelder":
        return {"udtryk": args}
    return args if isinstance(args, dict) else {}


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
    if rows and all(k in rows[0] for k in RULE_COLUMNS):
        return f"{kind} på {model}: {_describe_rule_rows(count, rows)}"
    if (node.get("test_metadata") or {}).get("name") in COMBINED_TESTS:
        return f"{kind} på {model}: {count} brud på {rule}"
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


def _describe_rule_rows(count: str, rows: list[dict]) -> str:
    """A kolonneregler test's rows (first_rows: up to FIRST_ROWS per broken rule, with `_antal`, the rule's
    count) as `4 brud på 2 regler: 'kilde' skal være en af kk, jm – 3 rækker, de første: kilde=xx (aar=2024,
    omraade_kode=AP) / … | 'andel' skal ligge mellem 0 og 1 – 1 række, de første: andel=1.5 (…)`."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault((row["regel"], row["kolonne"], row["krav"]), []).append(row)
    parts = []
    for (regel, kolonne, krav), found in list(groups.items())[:RULES_SHOWN]:
        antal = found[0].get("_antal", len(found))
        text = f"{requirement(regel, kolonne, _rule_kwargs(regel, krav))} – {antal} {_rows_word(antal)}"
        examples = [_rule_row(regel, kolonne, row) for row in found[:FIRST_ROWS]]
        if any(examples):
            text += ", de første: " + " / ".join(e or "?" for e in examples)
        parts.append(text)
    if len(groups) > RULES_SHOWN:
        parts.append(f"og {len(groups) - RULES_SHOWN} regler mere")
    return f"{count} brud på {len(groups)} {'regel' if len(groups) == 1 else 'regler'}: " + " | ".join(parts)


def _rule_row(regel: str, kolonne: str | None, row: dict) -> str:
    """One broken row: the value (where the rule is about a value) and the row's key columns."""
    shows_value = bool(kolonne) and regel != "not_null"
    key = ", ".join(f"{k}={_short(v, empty='tom', width=60)}" for k, v in row.items()
                    if k not in RULE_COLUMNS and not k.startswith("_") and not (shows_value and k == kolonne))
    if shows_value:
        value = f"{kolonne}={_short(row['vaerdi'], empty='tom')}"
        return f"{value} ({key})" if key else value
    return key


def _rows_word(count) -> str:
    return "række" if count == 1 else "rækker"


def _short(value, empty: str | None = None, width: int = 40) -> str:
    if value is None and empty is not None:
        return empty
    text = str(value)
    return text if len(text) <= width else text[:width - 3] + "…"


def first_rows(database: Path, compiled_sql: str, limit: int = FIRST_ROWS) -> list[dict] | None:
    """The first rows a test's SQL returns (its failing rows), or None when they cannot be read."""
    sql = compiled_sql.strip().rstrip(";")
    try:
        with connect(database, read_only=True, spatial=True) as con:
            columns = [d[0] for d in con.execute(f"select * from ({sql}) as _test limit 0").description]
            if columns[:len(RULE_COLUMNS)] == list(RULE_COLUMNS):
                cursor = con.execute(_rule_rows_sql(sql, columns, limit))
            else:
                # identical failing rows (a code repeated in many reports) are shown once, with their count
                cursor = con.execute(f"select *, count(*) as antal from ({sql}) as _test "
                                     f"group by all order by antal desc, 1 limit {limit}")
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    except Exception:  # the message then gives the count alone
        return None


def _rule_rows_sql(sql: str, columns: list[str], limit: int) -> str:
    """A kolonneregler test's rows (regel, kolonne, krav, vaerdi, key columns): the first `limit` rows of
    every broken rule, each with the rule's count (`_antal`), the rule broken most first."""
    rule = "regel, kolonne, krav"
    order = ", ".join(f'"{c}"' for c in columns[3:])
    return (f"select * exclude (_nr) from (select *, count(*) over (partition by {rule}) as _antal, "
            f"row_number() over (partition by {rule} order by {order}) as _nr from ({sql}) as _test) "
            f"where _nr <= {limit} order by _antal desc, {rule}, _nr")


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
