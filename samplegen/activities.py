"""The safety plan's activities, with partner names spelled the way people actually type them.

Spellings vary in case, spacing and abbreviation (` KAB ,Københavns politi`); every spelling emitted here is
listed in the dbt seed partnere.csv, the alias list the project normalises against (tests/test_samplegen.py
checks it). Some activities name the same
party twice under two spellings (`3B, KAB`), which must count as one partner.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from openpyxl import Workbook

from ._util import rng, save_xlsx, write_csv

PARTS = {  # normalised party -> spellings seen in plans
    "Økonomiforvaltningen": ["Økonomiforvaltningen", "ØKF", "økf", "Sikker By"],
    "Socialforvaltningen": ["Socialforvaltningen", "SOF", "sof"],
    "Børne- og Ungdomsforvaltningen": ["Børne- og Ungdomsforvaltningen", "BUF", "Buf"],
    "Teknik- og Miljøforvaltningen": ["Teknik- og Miljøforvaltningen", "TMF", "tmf"],
    "Beskæftigelses- og Integrationsforvaltningen": ["Beskæftigelses- og Integrationsforvaltningen", "BIF"],
    "Sundheds- og Omsorgsforvaltningen": ["Sundheds- og Omsorgsforvaltningen", "SUF"],
    "Kultur- og Fritidsforvaltningen": ["Kultur- og Fritidsforvaltningen", "KFF", "kff"],
    "Københavns Politi": ["Københavns Politi", "københavns politi", "Politiet", "KBH Politi", "Kbh. Politi"],
    "3B": ["3B", "KAB", "3B (KAB)", "kab"],
    "VIBO": ["VIBO", "Vibo"],
    "HAB": ["HAB", "DAB", "HAB (DAB)", "hab"],
    "FSB": ["FSB", "fsb"],
    "DOMEA": ["DOMEA", "Domea", "domea"],
}
COLLABORATORS = ["SSP København", "Amagerplanen", "Områdefornyelsen Sønderbro", "Solvang Bibliotek", "AAB",
                 "BO-VITA", "Lokaludvalg Amager Vest", "Lokaludvalg Amager Øst",
                 "Kulturhuset Islands Brygge", "Amager Fælled Boldklub"]
_COLLAB_SPELLINGS = {"SSP København": ["SSP København", "SSP Kbh", "ssp københavn"],
                     "Lokaludvalg Amager Vest": ["Lokaludvalg Amager Vest", "Amager Vest Lokaludvalg"],
                     "Lokaludvalg Amager Øst": ["Lokaludvalg Amager Øst", "Amager Øst Lokaludvalg"]}

TITLES = {
    1: ["Tryghedsvandring", "Dialogmøde med beboerne", "Nabohjælp-kampagne", "Nyhedsbrev om tryghed",
        "Tryghedsambassadører", "Borgermøde om kriminalitet", "Positive historier fra området",
        "Pop-up politistation"],
    2: ["Bedre belysning på stier", "Oprydning i gårdmiljøer", "Beskæring af buske ved stier",
        "Aktiv legeplads", "Fjernelse af graffiti", "Fredagsbar på pladsen", "Udendørs fitness",
        "Sommerlys i parken"],
    3: ["Nattevandring", "Fællesspisning", "Pigeklub", "Forældrenetværk", "Lektiecafé", "Mentorordning",
        "Familieudflugt", "Ungdomsklub i weekenden"],
    4: ["Jobcafé", "Fritidsjob til unge", "Sommerferiejob", "Praktikforløb", "Fritidspas",
        "Sportsaktiviteter",
        "Virksomhedsbesøg", "Kørekortsforløb"],
}
PLACES = ["Urbanplanen", "Hørgården", "Remiseparken", "Gullandsgården", "Telemarkskvarteret", "Støberigården",
          "Holmbladsgade", "Sundholmsvej", "Amager Fælledvej", "Lergravsparken"]
BUDGET = 1_900_000
# Share of (not cancelled) activities with >= 2 distinct partners; 2024 misses the 75 % goal.
TARGET_SHARE = {2024: 0.70, 2025: 0.80}
DEFAULT_SHARE = 0.82


def plan_years(years: range) -> range:
    """From 2024 to the year after the last, but no plan beyond the running year (police.CURRENT_YEAR)."""
    from .police import CURRENT_YEAR

    return range(max(2024, years[0]), min(years[-1] + 2, max(CURRENT_YEAR, years[-1]) + 1))


def _spell(name: str, r: np.random.Generator) -> str:
    options = PARTS.get(name) or _COLLAB_SPELLINGS.get(name) or [name]
    s = options[int(r.integers(len(options)))]
    if r.random() < 0.2:  # stray spaces from copy-paste
        s = f" {s} " if r.random() < 0.5 else s.replace(" ", "  ", 1)
    return s


def _activities(year: int, seed: int) -> list[tuple]:
    r = rng(seed, "aktiviteter", year)
    n = int(r.integers(32, 44))
    target = TARGET_SHARE.get(year, DEFAULT_SHARE)
    status_done = year < 2026
    cancelled = set(r.choice(n, int(r.integers(2, 4)), replace=False).tolist())
    active = [i for i in range(n) if i not in cancelled]
    multi = set(r.choice(active, int(round(target * len(active))), replace=False).tolist())
    parties = list(PARTS)
    budgets = r.dirichlet(np.full(n, 3.0)) * BUDGET
    budgets = np.round(budgets / 5_000) * 5_000
    budgets[int(np.argmax(budgets))] += BUDGET - budgets.sum()
    rows = []
    for i in range(n):
        area = int(r.integers(1, 5))
        title = f"{TITLES[area][int(r.integers(len(TITLES[area])))]} – {PLACES[int(r.integers(len(PLACES)))]}"
        if i in multi:
            k = int(r.choice([2, 3], p=[0.6, 0.4]))
            names = list(r.choice(parties, k - 1, replace=False))
            names.append(COLLABORATORS[int(r.integers(len(COLLABORATORS)))] if r.random() < 0.35
                         else [p for p in parties if p not in names][int(r.integers(len(parties) - k + 1))])
        else:
            one = parties[int(r.integers(len(parties)))]
            names = [one]
            if r.random() < 0.3 and len(PARTS[one]) > 1:
                names.append(one)  # the same party twice, spelled two ways: still one partner
        spelled = [_spell(nm, r) for nm in names]
        if len(names) == 2 and names[0] == names[1]:
            spelled[1] = next(s for s in PARTS[names[0]] if s != spelled[0].strip())
        sep = "," if r.random() < 0.25 else ", "
        if i in cancelled:
            status = "aflyst"
        elif status_done:
            status = "gennemfoert" if r.random() < 0.85 else "igang"
        else:
            status = "planlagt" if r.random() < 0.6 else "igang"
        rows.append((year, f"TP{year}-{i + 1:02d}", title, area, sep.join(spelled), int(budgets[i]), status))
    return rows


HEADER = ("aar", "aktivitet_id", "titel", "indsatsomraade", "partnere", "budget_kr", "status")


def write_activities(folder: Path, years: range, seed: int) -> tuple[int, int]:
    """The newest plan arrives as Excel, the earlier ones as CSV, as the secretariat delivers them."""
    rows = files = 0
    plans = plan_years(years)
    for year in plans:
        acts = _activities(year, seed)
        if year == plans[-1]:
            wb = Workbook()
            ws = wb.active
            ws.title = f"Tryghedsplan {year}"
            ws.append(list(HEADER))
            for a in acts:
                ws.append(list(a))
            save_xlsx(wb, folder / f"tryghedsplan_{year}.xlsx")
        else:
            write_csv(folder / f"tryghedsplan_{year}.csv", HEADER, acts)
        rows += len(acts)
        files += 1
    return rows, files


def normalise(name: str) -> str:
    return " ".join(name.split()).lower()
