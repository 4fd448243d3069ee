"""What a row-local warning found, per delivered file: so a refresh looks for it in the new files only.

A warning is reported over the whole table: its count, its first file and line, an example and the values
behind it (the unmapped offence codes with their counts). A refresh therefore used to hand GX every row of
the table that breaks it, and the unmapped codes are ~100,000 rows of a national police extract, read and
validated again on every refresh although only a new delivery's rows can add to them. For a warning whose
rule looks at one value of one row (`ExpectColumnValuesToBeInSet` or `ExpectColumnValuesToBeBetween` on a
delivered column, `per_file_rule`), the record (expectations/record.py) keeps per file what the rule found
there: the count, the first line and its value, and the values with their counts in the order they first
occur. A refresh then validates the rule on the new files' rows only and reports the files' summaries added
up, which are the count, first file and line, example and values a validation of the whole table gives.

The summaries are made with pandas from the rows GX validated, by the rule GX applies, and are kept only
when they agree with what GX found (count, first row, example) on the same rows; a rule pandas would read
differently from GX is simply validated on the whole table again, as before.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from expectations.messages import outcome
from expectations.prefilter import LINEAGE
from expectations.results import Outcome
from expectations.suites import Suite

_RULES = {"ExpectColumnValuesToBeInSet": {"column", "value_set"},
          "ExpectColumnValuesToBeBetween": {"column", "min_value", "max_value"}}


def per_file_rule(entry: tuple, derived: dict) -> bool:
    """A warning whose outcome adds up over files: one delivered column, one value at a time, no options."""
    cls_name, kwargs, severity = entry[:3]
    return (severity == "warn" and cls_name in _RULES and set(kwargs) <= _RULES[cls_name]
            and kwargs.get("column") not in derived)


def unexpected(values: pd.Series, kwargs: dict) -> pd.Series:
    """The rows the rule finds unexpected (GX's rule for these two: NULL is never unexpected)."""
    found = values.notna()
    if "value_set" in kwargs:
        return found & ~values.isin(kwargs["value_set"])
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    outside = pd.Series(False, index=values.index)
    if low is not None:
        outside |= values < low
    if high is not None:
        outside |= values > high
    return found & outside


def _plain(value):
    """A value as JSON keeps it (int, float, str, bool), or None when it would come back different."""
    value = value.item() if hasattr(value, "item") else value
    return value if isinstance(value, bool | int | float | str) else None


def summarise(frame: pd.DataFrame, kwargs: dict, files: list[str] | None = None) -> dict[str, dict] | None:
    """Per file of the frame (or of `files`): the unexpected rows' count, first line and value, and the
    values (as text, as the advice counts them) with their counts, in the order they first occur.
    Files without an unexpected row are left out. None when an example cannot be kept as it is."""
    column = kwargs["column"]
    rows = frame[unexpected(frame[column], kwargs)]
    if files is not None:
        rows = rows[rows["kildefil"].isin(files)]
    summaries = {}
    for kildefil, group in rows.groupby("kildefil", sort=True):
        example = _plain(group[column].iloc[0])
        if example is None:
            return None
        counts = group[column].astype(str).value_counts(sort=False)
        summaries[kildefil] = {"n": len(group), "line": int(group["kildelinje"].iloc[0]), "example": example,
                               "values": [[value, int(n)] for value, n in counts.items()]}
    return summaries


def agrees(summaries: dict[str, dict] | None, evr) -> bool:
    """The summaries of every file of a frame say what GX found on it: count, first row and example."""
    if summaries is None or evr.exception_info.get("raised_exception"):
        return False
    result = evr.result or {}
    total = sum(s["n"] for s in summaries.values())
    if total != result.get("unexpected_count"):
        return False
    if not total:
        return True
    first = min(summaries)
    where = (result.get("partial_unexpected_index_list") or [{}])[0]
    example = (result.get("partial_unexpected_list") or [None])[0]
    return (where.get(LINEAGE[0]), where.get(LINEAGE[1])) == (first, summaries[first]["line"]) \
        and _plain(example) == summaries[first]["example"]


def added_up(evr, summaries: dict[str, dict], index_columns: list[str]) -> tuple[object, pd.Series]:
    """The whole table's result from its files' summaries, shaped as GX's result of the same expectation
    (what expectations/messages.py reads), and the values with their counts as the advice lists them."""
    total = sum(s["n"] for s in summaries.values())
    order: dict[str, int] = {}
    for kildefil in sorted(summaries):
        for value, n in summaries[kildefil]["values"]:
            order[value] = order.get(value, 0) + n
    # pandas' value_counts: the counts in order of first occurrence, then sorted (the same sort, so ties
    # come out as they did on the whole table)
    counts = pd.Series(list(order.values()), index=pd.Index(list(order), dtype=object), dtype="int64")
    counts = counts.sort_values(ascending=False)
    result = {"unexpected_count": total, "partial_unexpected_list": [], "partial_unexpected_index_list": []}
    if total:
        first = min(summaries)
        column = evr.expectation_config.kwargs["column"]
        example = summaries[first]["example"]
        result["partial_unexpected_list"] = [example]
        result["partial_unexpected_index_list"] = [
            {column: example, index_columns[0]: first, index_columns[1]: summaries[first]["line"]}]
    merged = SimpleNamespace(expectation_config=evr.expectation_config, success=not total, result=result,
                             exception_info=evr.exception_info)
    return merged, counts


class Disagrees(Exception):
    """pandas does not find what GX found for a warning on the same rows: it is validated on the whole table."""


def findings_per_file(evr, entry: tuple, suite: Suite, frame: pd.DataFrame) -> dict[str, dict] | None:
    """What a row-local warning GX evaluated on every row it can find (a frame with lineage) found per file;
    None for any other expectation, or when pandas does not find what GX found."""
    if not per_file_rule(entry, suite.derived):
        return None
    found = summarise(frame, entry[1])
    return found if agrees(found, evr) else None


def in_new_files(evr, entry: tuple, suite: Suite, headers: dict[str, str], frame: pd.DataFrame, facts: dict,
                 old: dict[str, dict], new_files: list[str]) -> tuple[Outcome, dict[str, dict]]:
    """The outcome over the whole table of a warning GX evaluated on the new files' rows (and a few old
    ones), from the old files' recorded findings and the new files' on the frame; and the findings to record.
    Raises Disagrees when pandas does not find on the frame what GX found."""
    on_frame = summarise(frame, entry[1])
    if not agrees(on_frame, evr):
        raise Disagrees(f"{suite.table}: {evr.expectation_config.type} on {entry[1].get('column')}")
    found = {**old, **{f: s for f, s in on_frame.items() if f in new_files}}
    merged, counts = added_up(evr, found, list(LINEAGE))
    return outcome(merged, entry, suite, headers, None, facts, counts), found
