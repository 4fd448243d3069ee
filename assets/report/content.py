"""The report's words and numbers: the goal table rows and the footnotes, as plain values for the template.

Kept apart from the HTML so the wording can be reviewed by the secretariat without reading markup, and so
the tests can check the figures independently of layout. Definitions are short forms of
../shared/docs/indicators.md; where the two differ, indicators.md wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from assets.foundation import formatting as fmt
from assets.report.data import SAFETY_MEASURES, ReportData

STATUS = {True: ("opfyldt", "opfyldt"), False: ("ikke opfyldt", "ikke-opfyldt"), None: ("ingen data", "ingen-data")}
# a value without a verdict: preliminary, the baseline year, or outside the agreement period (begrundelse says)
NOT_JUDGED = ("ikke vurderet", "ikke-vurderet")
TREND = {"stigende": "↑ stigende", "faldende": "↓ faldende", "uaendret": "→ uændret"}
# Which direction is good per goal family: safety and collaboration should rise, crime should not.
GOOD_TREND = {"1": "stigende", "2": "faldende", "3": "stigende"}
COMPARATOR = {"1": ">", "2": "≤", "3": "≥"}
MEASURE_NAMES = {"nabolag": "dag", "aften_nat": "aften/nat"}
# a goal's kind (its file's art) → the agreement's goal family, which decides comparator and good trend
FAMILY = {"tryghed": "1", "kriminalitet": "2", "samarbejde": "3"}

SOURCE_NAMES = {
    "survey_kk": "Københavns Kommunes Tryghedsundersøgelse (besvarelser)",
    "survey_kk_published": "Københavns Kommunes Tryghedsundersøgelse (offentliggjorte andele, ældre år)",
    "survey_jm": "Justitsministeriets tryghedsundersøgelse (boligområder)",
    "police": "Københavns Politi, anmeldelser",
    "dst_straf11": "Danmarks Statistik, STRAF11 (anmeldte forbrydelser)",
    "dst_folk1a": "Danmarks Statistik, FOLK1A (befolkning 1. januar)",
    "kk_befolkning": "Københavns Kommune, befolkning pr. bydel",
    "befolkning_kvadratnet": "Befolkning i 100 m-kvadratnet",
    "lbf": "Landsbyggefonden, boligafdelingernes nøgletal",
    "aktiviteter": "Tryghedsplanen (aktiviteter og partnere)",
    "geo_omraader": "Områdeafgrænsninger (bydele, partnerskabsområdet, boligområder)",
}

def definitions(data: ReportData) -> list[tuple[str, str]]:
    """The definitions, with the partnership's own period and baseline year (Amager: 2025–2028, 2024)."""
    p = data.partnership
    words = {"2025–2028": p.period, "fra 2024": f"fra {p.baseline_aar}", "til 2028": f"til {p.aftale_til}",
             "baseline 2024": f"baseline {p.baseline_aar}", "Baseline 2024": f"Baseline {p.baseline_aar}",
             "i 2024": f"i {p.baseline_aar}", "grænse fra 2025": f"grænse fra {p.current_from or p.aftale_fra}"}
    share = data.collaboration_target
    out = []
    for title, text in DEFINITIONS:
        for old, new in words.items():
            title, text = title.replace(old, new), text.replace(old, new)
        out.append((title, text.replace("{maal_samarbejde}", fmt.percent(share, 0))))
    return out


DEFINITIONS = [
    ("Statuskalender",
     "Status for år Y forelægges i foråret Y sammen med Tryghedsundersøgelsen Y. Mål 1 vurderes på "
     "undersøgelsen Y mod Y−1, mål 2 på politiets tal for Y−1 (det seneste hele år) mod baseline 2024, og "
     "mål 3 på tryghedsplanen for Y−1. Kun målinger i aftaleperioden 2025–2028 vurderes; foreløbige "
     "politital vises, men vurderes ikke."),
    ("Tryghed",
     "Vægtet andel af de adspurgte, der svarer 1 eller 2 (tryg) blandt dem, der svarer 1–5; “ved ikke” og "
     "blanke svar tæller hverken med i tæller eller nævner. 95 %-konfidensintervallet er Wilsons interval på "
     "den effektive stikprøvestørrelse (Kish). Mål 1a/1b er opfyldt, når andelen er steget siden året før, "
     "og afstanden til København ikke er blevet større (eller området ligger på Københavns niveau). "
     "Fremskrivningen til 2028 er en vægtet lineær tendens gennem årene fra 2024 med 95 %-interval."),
    ("Borgervendt kriminalitet",
     "Politiets definition: anmeldelser inden for sagsområderne drab, færdselslov, indbrud, narkotika og "
     "smugling, røveri, sædelighed, tyveri, vold og øvrig straffelov (inkl. brugstyveri). En anmeldelse tælles "
     "én gang i året for anmeldelsen, i hvert område, hvis afgrænsning indeholder gerningsstedet, efter at "
     "dobbelte leverancer er fjernet. Pr. 1.000 indbyggere pr. 1. januar."),
    ("Fokustyper",
     "Indbrud, tyveri/røveri og vold/våben; mål 2b–2d vurderes på antal anmeldelser."),
    ("Baseline 2024",
     "Niveauet i 2024 for partnerskabsområdet på den nuværende grænse. Målet er opfyldt, når årets værdi er "
     "højst baseline. Når partnerne har vedtaget baseline, fastfryses den og ændres ikke af senere leverancer."),
    ("Samarbejde",
     "Andelen af tryghedsplanens aktiviteter (aflyste tæller ikke med) med mindst to forskellige partnere; "
     "målet er mindst {maal_samarbejde}."),
    ("Områder",
     "Partnerskabsområdets tal er for alle år beregnet på den nuværende grænse fra 2025, så serien er "
     "sammenlignelig; den oprindelige grænse findes som eget område i data. Placering sker altid ud fra "
     "gerningsstedets eller besvarelsens koordinat."),
]


@dataclass(frozen=True)
class GoalRow:
    maal_id: str
    beskrivelse: str
    maalingsaar: int
    vaerdi: str
    maalvaerdi: str
    comparator: str
    target_note: str
    status: str
    status_class: str
    trend: str
    trend_class: str
    note: str


def goal_rows(data: ReportData) -> list[GoalRow]:
    rows = []
    for goal in data.goals.itertuples(index=False):
        family = FAMILY.get(getattr(goal, "maal_art", None), str(goal.maal_id)[:1])
        opfyldt = None if fmt.is_missing(goal.opfyldt) else bool(goal.opfyldt)
        status, status_class = STATUS[opfyldt]
        if opfyldt is None and not fmt.is_missing(goal.vaerdi):
            status, status_class = NOT_JUDGED
        value, target = fmt.value_and_target(goal.vaerdi, goal.maalvaerdi, goal.enhed)
        trend = None if fmt.is_missing(goal.tendens) else str(goal.tendens)
        trend_class = "" if trend in (None, "uaendret") else ("god" if trend == GOOD_TREND.get(family) else "daarlig")
        rows.append(GoalRow(
            maal_id=str(goal.maal_id),
            beskrivelse=str(goal.beskrivelse),
            maalingsaar=int(goal.maalingsaar),
            vaerdi=value,
            maalvaerdi=target,
            comparator=COMPARATOR.get(family, "") if not fmt.is_missing(goal.maalvaerdi) else "",
            target_note=_target_note(family, data, goal),
            status=status,
            status_class=status_class,
            trend=TREND.get(trend, fmt.MISSING) if trend else fmt.MISSING,
            trend_class=trend_class,
            note=_note(family, data, goal),
        ))
    return rows


def _target_note(family: str, data: ReportData, goal) -> str:
    if fmt.is_missing(goal.maalvaerdi):
        return ""
    if family == "1":
        return f"niveauet i {int(goal.maalingsaar) - 1}"
    if family == "2":
        return f"baseline {data.baseline.year}"
    return ""


def _note(family: str, data: ReportData, goal) -> str:
    """The sentences a committee member needs beside the figure: the year measured, the mart's reason
    (begrundelse, plain Danish), and for goal 1 the distance, significance and the projection to the
    agreement's last year."""
    year = int(goal.maalingsaar)
    reason = "" if fmt.is_missing(goal.begrundelse) else str(goal.begrundelse)
    if family == "1":
        if fmt.is_missing(goal.vaerdi):
            first = data.goals[data.goals["maal_art"] == "tryghed"]["maal_id"].head(1).tolist()
            suppressed = _safety_reason(data, "nabolag" if goal.maal_id in ("1a", *first) else "aften_nat")
            return f"Ingen andel for {year}" + (f": {suppressed.lower()}." if suppressed else ".")
        parts = [reason, f"København: {fmt.percent(goal.andel_kbh)}, afstand {fmt.points(goal.afstand_til_kbh)}"]
        if not fmt.is_missing(goal.afstand_aendring):
            parts.append(f"afstanden til København ændret {fmt.points(goal.afstand_aendring)} fra året før")
        if not fmt.is_missing(goal.aendring_signifikant):
            parts.append("ændringen fra året før er " + ("" if goal.aendring_signifikant else "ikke ")
                         + "statistisk signifikant")
        if not fmt.is_missing(goal.fremskrevet_2028):
            course = "på kurs" if goal.paa_kurs_2028 else "ikke på kurs"
            parts.append(f"fremskrevet {data.partnership.aftale_til}: {fmt.percent(goal.fremskrevet_2028)} (95 %: "
                         f"{fmt.percent(goal.fremskrevet_2028_ci_lav)}–{fmt.percent(goal.fremskrevet_2028_ci_hoej)}), "
                         f"København {fmt.percent(goal.fremskrevet_2028_kbh)}: {course} mod Københavns niveau")
        return "; ".join(p for p in parts if p) + "."
    if family == "2":
        parts = [f"Politiets tal for {year}", reason]
        baseline = data.baseline
        if baseline.version is None:
            parts.append(f"baseline {baseline.year} mangler")
        else:
            state = (f"fastfrosset (version {baseline.version})" if baseline.frozen
                     else "beregnet, endnu ikke fastfrosset")
            parts.append(f"baseline {baseline.year} {state}")
        return "; ".join(p for p in parts if p) + "."
    if family == "3":
        totals = data.activities[(data.activities["aar"] == year)
                                 & data.activities["er_total"].fillna(False).astype(bool)]
        if fmt.is_missing(goal.vaerdi) or totals.empty:
            return f"Ingen tryghedsplan for {year}."
        row = totals.iloc[0]
        return (f"Tryghedsplanen {year}: {int(row['antal_med_mindst_2_partnere'])} af "
                f"{int(row['antal_aktiviteter'])} aktiviteter; {reason}.")
    return ""


def _safety_reason(data: ReportData, measure: str) -> str | None:
    area = data.partnership.omraade_kode
    rows = data.safety_year[(data.safety_year["omraade_kode"] == area) & (data.safety_year["maal"] == measure)]
    if rows.empty or fmt.is_missing(rows["undertrykt_aarsag"].iloc[0]):
        return None
    return _base_reason(rows["undertrykt_aarsag"].iloc[0])


def _base_reason(reason: str) -> str:
    """'Færre end 30 gyldige svar (13)' → 'Færre end 30 gyldige svar': the count differs per row, the rule not."""
    return re.sub(r"\s*\(\d+\)\s*$", "", str(reason))


def summary(rows: list[GoalRow]) -> dict[str, int]:
    counts = {"opfyldt": 0, "ikke opfyldt": 0, "ingen data": 0, NOT_JUDGED[0]: 0}
    for row in rows:
        counts[row.status] += 1
    return counts


@dataclass(frozen=True)
class Suppression:
    """What the reader does not see, and why (indicators.md: shares on fewer than 30 answers are empty)."""

    chart_empty: int  # points missing from the safety chart
    chart_total: int
    chart_reasons: list[tuple[str, int]]  # reason → count, in the chart
    chart_where: list[str]  # "Amager Partnerskab: 2014, 2015 (dag, aften/nat)"
    year_empty: int  # the report year, all areas, both measures
    year_total: int
    year_counts_suppressed: int  # answer counts below the disclosure threshold, the report year


def suppression(data: ReportData) -> Suppression:
    chart = data.safety
    empty = chart[chart["andel"].isna()]
    reasons = (empty["undertrykt_aarsag"].fillna("Ingen besvarelser").map(_base_reason).value_counts()
               if len(empty) else pd.Series(dtype=int))
    where = []
    p = data.partnership
    for area in p.chart_areas:
        rows = empty[empty["omraade_kode"] == area]
        if rows.empty:
            continue
        years = ", ".join(str(y) for y in sorted(rows["aar"].unique()))
        measures = ", ".join(MEASURE_NAMES[m] for m in SAFETY_MEASURES if m in set(rows["maal"]))
        where.append(f"{p.part_name(area) if area in p.parts else p.labels[area]}: {years} ({measures})")
    year = data.safety_year
    suppressed_counts = year["antal_svar_undertrykt"].fillna(False).astype(bool).sum() if len(year) else 0
    return Suppression(
        chart_empty=len(empty),
        chart_total=len(chart),
        chart_reasons=[(str(r), int(n)) for r, n in reasons.items()],
        chart_where=where,
        year_empty=int(year["andel"].isna().sum()),
        year_total=len(year),
        year_counts_suppressed=int(suppressed_counts),
    )


def sources(data: ReportData) -> list[tuple[str, int]]:
    """The inputs behind the release, by source, with their file counts (from the manifest)."""
    counts: dict[str, int] = {}
    for entry in data.manifest.get("inputfiler", []):
        counts[entry.get("kilde", "")] = counts.get(entry.get("kilde", ""), 0) + 1
    return sorted((SOURCE_NAMES.get(kilde, kilde), n) for kilde, n in counts.items())


def input_files(data: ReportData) -> list[dict]:
    return [
        {"fil": f.get("fil", ""), "kilde": f.get("kilde", ""), "raekker": fmt.number(f.get("raekker"), 0),
         "sha256": (f.get("sha256") or "")[:12]}
        for f in data.manifest.get("inputfiler", [])
    ]


COVERAGE_SOURCES = {  # fct_datadaekning's kilde → the label in the report, in display order
    "tryghed_kk": "Tryghedsundersøgelsen (KK)",
    "politi": "Politiets anmeldelser",
    "tryghedsplan": "Tryghedsplanen",
    "dst_folk1a": "DST FOLK1A",
    "dst_straf11": "DST STRAF11",
    "befolkning_kk": "Befolkning, bydele (KK)",
    "befolkning_kvadratnet": "Befolkning, kvadratnet",
    "lbf": "Landsbyggefonden",
    "tryghed_jm": "Justitsministeriets undersøgelse",
}
COVERAGE_MARKS = {"komplet": ("●", "komplet"), "foreloebig": ("◐", "foreloebig"), "mangler": ("○", "mangler")}


@dataclass(frozen=True)
class Coverage:
    years: list[int]
    rows: list[tuple[str, list[tuple[str, str, str]]]]  # label → per year (mark, css class, title)
    notes: list[str]  # the preliminary years and the gaps, in words


def coverage(data: ReportData) -> Coverage:
    """Sources × years: which years each source delivers, complete or preliminary (decisions 10, 11)."""
    frame = data.coverage
    if frame.empty:
        return Coverage([], [], [])
    years = list(range(int(frame["aar"].min()), int(frame["aar"].max()) + 1))
    rows, notes = [], []
    for kilde, label in COVERAGE_SOURCES.items():
        part = frame[frame["kilde"] == kilde]
        if part.empty:
            continue
        status = dict(zip(part["aar"].astype(int), part["status"].astype(str), strict=True))
        cells = []
        for y in years:
            mark, css = COVERAGE_MARKS.get(status.get(y, ""), ("", "ingen"))
            cells.append((mark, css, f"{label} {y}: {status.get(y, 'ingen levering')}"))
        rows.append((label, cells))
        prelim = [y for y in years if status.get(y) == "foreloebig"]
        gaps = [y for y in years if status.get(y) == "mangler"]
        if prelim:
            notes.append(f"{label}: {', '.join(map(str, prelim))} er foreløbig"
                         + (" (vises, men vurderes ikke)" if kilde == "politi" else ""))
        if gaps and kilde != "tryghed_jm":
            notes.append(f"{label}: ingen levering for {', '.join(map(str, gaps))} (tallene er tomme, ikke nul)")
    return Coverage(years, rows, notes)


MONITORING_NAMES = {"overvaagning_chikane": "Chikane", "overvaagning_haervaerk": "Hærværk",
                    "overvaagning_narkotika": "Narkotika", "overvaagning_trusler": "Trusler"}


@dataclass(frozen=True)
class Monitoring:
    years: list[int]
    rows: list[tuple[str, list[str]]]  # type → counts per year ("–" where empty)
    preliminary: list[int]


def monitoring(data: ReportData, last_years: int = 6) -> Monitoring:
    """The agreement's monitoring types for the partnership area: counts per year, no target."""
    frame = data.monitoring
    if frame.empty:
        return Monitoring([], [], [])
    years = sorted(int(y) for y in frame["aar"].unique())[-last_years:]
    rows = []
    for group, name in MONITORING_NAMES.items():
        part = frame[frame["gruppe"] == group].set_index("aar")
        rows.append((name, [fmt.number(part["antal_anmeldelser"].get(y), 0) if y in part.index else fmt.MISSING
                            for y in years]))
    prelim = sorted(int(y) for y in frame.loc[frame["foreloebig"].fillna(False).astype(bool), "aar"].unique()) \
        if "foreloebig" in frame else []
    return Monitoring(years, rows, [y for y in prelim if y in years])
