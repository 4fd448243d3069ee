"""How much GX reports per expectation: its BASIC result plus the first unexpected row, completed to SUMMARY's.

A message names the first failing row's file and line, so the runner used GX's SUMMARY format with the
lineage columns as `unexpected_index_column_names`. For that GX builds, in Python, one dict per unexpected
row (and looks the two column names up again for every row), and then keeps the first: the unmapped-code
warning matches ~100,000 rows of a national police extract, which cost 2–3 s of GX's time on every run.
BASIC with `include_unexpected_rows` has GX select the unexpected rows with one vectorised filter and hand
back the first, from the same domain records; `complete` then adds what SUMMARY would have added
(`partial_unexpected_index_list`, `partial_unexpected_counts`) from that row, so messages, the recorded
outcomes and Data Docs are what they were. tests/test_expectations.py compares the two formats, result
for result, on failing rows of every kind of expectation the suites use.

Imported by the runner only (in the worker process); nothing here imports Great Expectations itself.
"""

from __future__ import annotations

from collections import Counter

PARTIAL = 1  # unexpected values and rows kept per expectation: the messages name the first


def result_format(index_columns: list[str] | None) -> dict:
    """What the runner asks GX for: BASIC, the first unexpected row, and (tables with lineage) the
    columns that name a row (`kildefil`, `kildelinje`)."""
    fmt = {"result_format": "BASIC", "partial_unexpected_count": PARTIAL, "include_unexpected_rows": True}
    if index_columns:
        fmt["unexpected_index_column_names"] = list(index_columns)
    return fmt


def summary_format(index_columns: list[str] | None) -> dict:
    """The format `complete` reproduces (the tests run both)."""
    fmt = {"result_format": "SUMMARY", "partial_unexpected_count": PARTIAL}
    if index_columns:
        fmt["unexpected_index_column_names"] = list(index_columns)
    return fmt


def _domain_columns(kwargs: dict) -> list[str]:
    if "column" in kwargs:
        return [kwargs["column"]]
    if "column_A" in kwargs and "column_B" in kwargs:
        return [kwargs["column_A"], kwargs["column_B"]]
    return list(kwargs.get("column_list") or [])


def complete(evr) -> None:
    """Turn one BASIC result with its unexpected rows into the SUMMARY result GX would have given (in place).

    SUMMARY adds, for a map expectation: the counts of the partial unexpected values (GX's own recipe, on
    the same partial list) and the first unexpected rows' index entries: the domain columns' values and
    the index columns' (or the frame's index when no index columns are named).
    """
    result = evr.result
    if not isinstance(result, dict) or "unexpected_rows" not in result:
        return  # not a map expectation (an aggregate one, or one that raised): SUMMARY adds nothing
    rows = result.pop("unexpected_rows")
    partial = result.get("partial_unexpected_list")
    if partial is not None:
        values = [tuple(v.values()) if isinstance(v, dict) else v for v in partial]
        try:
            result["partial_unexpected_counts"] = [
                {"value": key, "count": n}
                for key, n in sorted(Counter(values).most_common(PARTIAL), key=lambda x: (-x[1], x[0]))
            ]
        except TypeError:  # unhashable values: SUMMARY leaves the counts out too
            pass
    if rows is None:
        return
    names = result.get("unexpected_index_column_names")
    first = rows.iloc[:PARTIAL]
    if not names:
        result["partial_unexpected_index_list"] = list(first.index)
        return
    columns = _domain_columns(evr.expectation_config.kwargs)
    entries = []
    for index in first.index:
        entry = {}
        for column in columns:  # GX's order: each domain column, then the index columns
            entry[column] = first.at[index, column]
            for name in names:
                entry[name] = first.at[index, name]
        entries.append(entry)
    result["partial_unexpected_index_list"] = entries
