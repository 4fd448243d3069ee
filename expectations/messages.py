"""Wording a GX result for a person: the file, line and column, the count, an example and the rule."""

from __future__ import annotations

from expectations.naming import check_name
from expectations.prefilter import derived_sql
from expectations.results import Outcome
from expectations.suites import Suite


def outcome(evr, entry: tuple, suite: Suite, headers: dict[str, str]) -> Outcome:
    cls_name, kwargs, severity = entry[:3]
    kind = evr.expectation_config.type
    column = kwargs.get("column") or kwargs.get("column_A") or (kwargs.get("column_list") or [None])[-1]
    derived = column in suite.derived
    if derived:
        column = derived_sql(suite.derived[column])[0] or column
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
