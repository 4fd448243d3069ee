"""Wording a GX result for a person: the file, line and column, the count, an example and the rule.

The warnings and the rules a person acts on in a known way (a missing offence code, an unknown housing
area, a DST export without Copenhagen) are said in Danish, with the numbers behind them and what to do
(`ADVICE`, keyed by the suite entry's note in expectations/suites.py).
"""

from __future__ import annotations

from expectations.naming import check_name
from expectations.results import Outcome
from expectations.suites import Suite, derived_sql


def outcome(evr, entry: tuple, suite: Suite, headers: dict[str, str], frame=None,
            facts: dict | None = None, counts=None) -> Outcome:
    """One expectation's result in words. `facts` are the whole table's (`rows`, `files`), for the advice
    that names them when the frame holds only some rows (candidate rows, a refresh's new files); `counts`
    the unexpected values with their counts when they were not counted on the frame (a warning added up
    from its files' summaries, expectations/file_warnings.py)."""
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
    advice = _advice(entry, suite, frame, count, res, facts, counts)
    if advice is not None:
        return Outcome(kind, header, severity, check_name(entry), False, count, advice, kildefil, kildelinje,
                       advice)
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


# what a source is called in a message
_SOURCE_NAMES = {
    "raw.police": "Politiets udtræk", "raw.survey_jm": "Den nationale tryghedsundersøgelse",
    "raw.survey_kk": "Kommunens tryghedsundersøgelse", "raw.survey_kk_published": "Kommunens publicerede andele",
    "raw.dst_folk1a": "Danmarks Statistiks FOLK1A", "raw.dst_straf11": "Danmarks Statistiks STRAF11",
    "raw.befolkning_kvadratnet": "Befolkning på kvadratnet", "raw.lbf": "Landsbyggefondens beboerdata",
    "raw.aktiviteter": "Tryghedsplanen", "marts.fct_tryghed": "fct_tryghed",
}

ADVICE = {
    "ukortlagt_gerningskode": "{source}: {count} anmeldelser har en gerningskode, der ikke står i "
    "dbt_project/seeds/gerningskoder.csv, og tælles som 'ikke kortlagt': {values}. Tilføj koderne til "
    "gerningskoder.csv (sagsområde, borgervendt, fokus).",
    "ukendt_boligomraade": "{source}: {count} rækker har et boligområde, som dbt_project/seeds/"
    "jm_boligomraader.csv ikke kender, og udelades af fct_tryghed: {values}. Tilføj navnet med sin "
    "områdekode i jm_boligomraader.csv.",
    "ukendt_omraade": "{source}: {count} rækker har en områdekode, der ikke findes i geo/omraader.geojson: "
    "{values}.",
    "manglende_aarsfil": "{source}: der mangler en fil for året før {values}; tjek om en leverance mangler "
    "i indbakken.",
    "andel_flyttet_over_10_point": "{source}: andelen tryghed flytter mere end 10 procentpoint fra året før "
    "i {count} rækker: {values}. Tjek tallene, før de bruges.",
    "celle_uden_for_koebenhavn": "{source}: {count} kvadratnetceller ligger uden for København: {values}.",
    "koebenhavn_mangler": "{source} har ikke Københavns Kommune (område 101){values}. Hent tabellen igen "
    "med `tryghed fetch dst {table} --from 2014 --inbox <indbakken>`.",
}


def _advice(entry: tuple, suite: Suite, frame, count, res: dict, facts: dict | None = None,
            counts=None) -> str | None:
    note = entry[3] if len(entry) > 3 else None
    if note not in ADVICE:
        return None
    kwargs = entry[1]
    column = kwargs.get("column")
    values = ""
    try:
        values = _listed(counts) if counts is not None else _numbers_behind(note, kwargs, suite, frame, res, facts)
    except Exception:  # the wording must never fail a validation
        values = ""
    return ADVICE[note].format(source=_SOURCE_NAMES.get(suite.table, suite.table), count=_n(count),
                               values=values or "se Data Docs", table=suite.name.removeprefix("dst_").upper(),
                               column=column)


def _n(count) -> str:
    return "?" if count is None else f"{count:,}".replace(",", ".")


def _numbers_behind(note: str, kwargs: dict, suite: Suite, frame, res: dict, facts: dict | None = None) -> str:
    """The values and counts a person needs: unmapped codes with their counts, the files, the areas."""
    column = kwargs.get("column")
    if frame is None or column not in frame:
        return ""
    if note == "koebenhavn_mangler":
        files = sorted(frame["kildefil"].dropna().unique()) if "kildefil" in frame else []
        rows = len(frame)
        if facts and facts.get("files") is not None:
            files, rows = sorted(facts["files"]), facts["rows"]
        areas = sorted(str(v) for v in frame[column].dropna().unique())
        found = f" – filen {', '.join(files[:3])} har {_n(rows)} rækker" if files else " – tabellen er tom"
        if areas:
            found += f" for områderne {', '.join(areas[:5])}" + (" …" if len(areas) > 5 else "")
        return found
    values = frame[column]
    if "value_set" in kwargs:
        bad = values[~values.isin(kwargs["value_set"]) & values.notna()]
    elif "min_value" in kwargs or "max_value" in kwargs:
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        mask = values.notna() & False
        if low is not None:
            mask |= values < low
        if high is not None:
            mask |= values > high
        bad = values[mask]
    else:
        bad = values[values.notna()]
    if note == "manglende_aarsfil" and "kildefil" in frame:
        files = sorted(frame.loc[bad.index, "kildefil"].dropna().unique()) if len(bad) else []
        return ", ".join(files[:5])
    if note == "andel_flyttet_over_10_point":
        keys = [c for c in ("aar", "omraade_kode", "maal") if c in frame]
        rows = frame.loc[bad.abs().sort_values(ascending=False).index[:5]]
        return "; ".join(" ".join(str(r[k]) for k in keys) + f": {r[column]:+.1f} point".replace(".", ",")
                         for _, r in rows.iterrows())
    return _listed(bad.astype(str).value_counts())


def _listed(counts) -> str:
    """The ten most frequent values with their counts (`counts`: pandas' value_counts), and how many more."""
    shown = ", ".join(f"{value} ({n})" for value, n in counts.head(10).items())
    return shown + (f" og {len(counts) - 10} andre" if len(counts) > 10 else "")
