"""Context sources: Danmarks Statistik's StatBank exports and Landsbyggefonden's resident data.

DST counts all of Copenhagen's reported crime (~20,000 a quarter), while the police extract is a sample;
keeping DST at the real order of magnitude lets the pipeline's coverage mart show that gap honestly.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from ._util import rng, save_xlsx, write_csv
from .police import YEAR_FACTOR
from .population import city_total

# Leaves of the STRAF11 hierarchy we export, per quarter for Copenhagen around 2024. Parents are sums:
# TOT = 1 + 2 + 3; 1 = 11 + 12 + 13 + 14; 13 = 1320 + 1380 + 1390 + other property crime (not exported).
_LEAVES_101 = {"11": 260, "12": 1_350, "1320": 900, "1380": 190, "1390": 1_450, "13_rest": 10_700,
               "14": 2_050, "2": 1_700, "3": 1_600}
_COUNTRY_FACTOR = {"11": 5.5, "12": 5.0, "1320": 6.5, "1380": 3.5, "1390": 5.5, "13_rest": 5.0, "14": 5.0,
                   "2": 8.0, "3": 6.0}
STRAF11_CODES = ("TOT", "1", "11", "12", "13", "1320", "1380", "1390", "14", "2", "3")
_SEASON = {1: 0.96, 2: 1.0, 3: 1.05, 4: 0.99}


def write_straf11(folder: Path, years: range, seed: int) -> int:
    rows = []
    last = (years[-1], 4)  # not yet published when the sample was "downloaded"
    for omr in ("000", "101"):
        values: dict[str, dict[str, int]] = {c: {} for c in STRAF11_CODES}
        for year in years:
            for q in (1, 2, 3, 4):
                r = rng(seed, "straf11", omr, year, q)
                level = YEAR_FACTOR.get(year, 1.0) * _SEASON[q]
                lam = {k: v * level * (_COUNTRY_FACTOR[k] if omr == "000" else 1)
                       for k, v in _LEAVES_101.items()}
                leaf = {k: int(r.poisson(v)) for k, v in lam.items()}
                v13 = leaf["1320"] + leaf["1380"] + leaf["1390"] + leaf["13_rest"]
                v1 = leaf["11"] + leaf["12"] + v13 + leaf["14"]
                tid = f"{year}K{q}"
                vals = {"TOT": v1 + leaf["2"] + leaf["3"], "1": v1, "13": v13} | leaf
                for c in STRAF11_CODES:
                    values[c][tid] = ".." if (year, q) == last else vals[c]
        for c in STRAF11_CODES:
            rows += [(omr, c, tid, v) for tid, v in values[c].items()]
    return write_csv(folder / "STRAF11.csv", ("OMRÅDE", "OVERTRÆD", "TID", "INDHOLD"), rows, bom=True)


FOLK1A_AGES = ("IALT", "0", "18", "25", "30", "45", "65", "80")
_AGE_SHARE = {"0": 0.0125, "18": 0.0095, "25": 0.025, "30": 0.024, "45": 0.012, "65": 0.0085, "80": 0.0042}
_CIVIL = {"IALT": (0.62, 0.26), "0": (1.0, 0.0), "18": (0.995, 0.005), "25": (0.9, 0.09), "30": (0.7, 0.28),
          "45": (0.36, 0.47), "65": (0.17, 0.5), "80": (0.08, 0.34)}  # (ugift, gift)


def write_folk1a(folder: Path, years: range) -> int:
    """Totals by sex, a few single ages and two marital states: enough to prove that the pipeline takes the
    total row and never sums single ages or categories onto it."""
    rows = []
    from .police import CURRENT_YEAR

    # the next year's 1 January, once it has passed (never beyond the running year)
    quarters = [(y, q) for y in years for q in (1, 2, 3, 4)]
    quarters += [(years[-1] + 1, 1)] if years[-1] < CURRENT_YEAR else []
    for koen in ("TOT", "1", "2"):
        for alder in FOLK1A_AGES:
            for civ in ("TOT", "U", "G"):
                for y, q in quarters:
                    total = city_total(y, q)
                    men = int(round(total * 0.494))
                    n = {"TOT": total, "1": men, "2": total - men}[koen]
                    if alder != "IALT":
                        n_tot = int(round(total * _AGE_SHARE[alder]))
                        m_age = int(round(n_tot * 0.49))
                        n = {"TOT": n_tot, "1": m_age, "2": n_tot - m_age}[koen]
                    if civ != "TOT":
                        u, g = _CIVIL[alder]
                        n = int(round(n * (u if civ == "U" else g)))
                    rows.append(("101", koen, alder, civ, f"{y}K{q}", n))
    return write_csv(folder / "FOLK1A.csv", ("OMRÅDE", "KØN", "ALDER", "CIVILSTAND", "TID", "INDHOLD"), rows,
                     bom=True)


# (organisation, department no., name, housing area code, residents, profile) — profile picks the values.
# The (organisation, number, area) triples are partnerskaber/AP.toml's lbf_afdelinger (tests/test_samplegen.py).
DEPARTMENTS = [
    ("3B", "4110", "Urbanplanen, Sundholmsvej", "BO_URBANPLANEN", 1_650, "udsat"),
    ("KAB", "1023", "Urbanplanen, Hjulmagerstien", "BO_URBANPLANEN", 1_420, "udsat"),
    ("DOMEA", "2517", "Urbanplanen Øst", "BO_URBANPLANEN", 980, "udsat"),
    ("FSB", "1401", "Hørgården I", "BO_HOERGAARDEN", 640, "forebyg"),
    ("KAB", "1052", "Hørgården II", "BO_HOERGAARDEN", 520, "forebyg"),
    ("HAB", "3306", "Remisevænget", "BO_REMISEVAENGET", 760, "forebyg"),
    ("VIBO", "4021", "Remiseparken", "BO_REMISEVAENGET", 310, "forebyg"),
    ("VIBO", "4015", "Gullandsgården", "BO_GULLANDSGAARDEN", 820, "forebyg"),
    ("FSB", "1420", "Telemarksgården", "BO_TELEMARK", 540, "rolig"),
    ("3B", "4155", "Støberigården", "BO_STOEBERIGAARDEN", 870, "udvidelse"),
    ("DOMEA", "2530", "Holmbladsgården", "BO_HOLMBLADSGADE", 690, "udvidelse"),
    ("HAB", "3312", "Lergravsgården", "BO_HOLMBLADSGADE", 450, "udvidelse"),
]
LBF_HEADER = ("År", "Boligorganisation", "Afdelingsnr", "Afdelingsnavn", "Beboere i alt",
              "Andel 18-64 uden for arbejde og uddannelse (%)", "Andel 30-59 med kun grundskole (%)",
              "Gns. bruttoindkomst 15-64 ift. regionen (%)",
              "Andel ikke-vestlige indvandrere og efterkommere (%)",
              "Andel dømte ift. landsgennemsnittet (faktor)", "Andel elever med over 10 % fravær (%)",
              "Andel 10-17-årige uden fritidsaktivitet (%)")


def _profile(kind: str, year: int) -> list[float]:
    """Centre values: Urbanplanen meets two § 61 a criteria until 2021 and improves after; the prevention
    areas meet § 61 b (non-Western > 30 % and three of the four other criteria) in every year."""
    t = year - 2019
    if kind == "udsat":
        return [44.0 - 1.6 * t, 47.0, 52.0 + 1.2 * t, 58.0, 2.4, 31.0, 24.0]
    if kind == "forebyg":
        return [36.0 - 0.4 * t, 44.0, 58.0 + 0.3 * t, 52.0, 2.5, 28.0, 22.0]
    if kind == "udvidelse":
        return [31.0, 36.0, 64.0, 41.0, 1.9, 24.0, 19.0]
    return [17.0, 19.0, 84.0, 19.0, 0.8, 14.0, 11.0]


def lbf_years(years: range) -> range:
    return range(max(2019, years[0]), years[-1] + 1)


def write_lbf(folder: Path, years: range, seed: int, others: list[tuple] = ()) -> int:
    """Amager's departments (DEPARTMENTS), then `others` (Tingbjerg-Husum's, samplegen/tingbjerg.py)."""
    n = 0
    for year in lbf_years(years):
        r = rng(seed, "lbf", year)
        wb = Workbook()
        ws = wb.active
        ws.title = "Beboerdata"
        ws.append([f"Landsbyggefonden – beboerdata {year}"])
        if year >= 2022:
            ws.append(["Kilde: Danmarks Statistik for Landsbyggefonden. * = diskretioneret"])
        ws.append([])
        ws.append(list(LBF_HEADER))
        for org, nr, navn, _code, residents, kind in DEPARTMENTS:
            centre = _profile(kind, year)
            vals: list[object] = []
            for i, c in enumerate(centre):
                v = c + r.normal(0, 0.15 if i == 4 else 1.2)
                if kind == "forebyg" and i == 1:
                    v = min(v, 59.0)
                vals.append(round(float(v), 2 if i == 4 else 1))
            if r.random() < 0.12:
                vals[int(r.integers(4, 7))] = "*"  # small groups are suppressed
            if r.random() < 0.08:
                vals[6] = None
            beboere = int(round(residents * (1 + 0.01 * (year - 2019)) * r.uniform(0.97, 1.03)))
            ws.append([year, org, nr, navn, beboere, *vals])
        # the other partnerships' departments below Amager's, from a stream of their own
        r_other = rng(seed, "lbf_thp", year)
        for org, nr, navn, _code, residents, kind in others:
            centre = _profile(kind, year)
            vals = [round(float(c + r_other.normal(0, 0.15 if i == 4 else 1.2)), 2 if i == 4 else 1)
                    for i, c in enumerate(centre)]
            beboere = int(round(residents * (1 + 0.005 * (year - 2019)) * r_other.uniform(0.97, 1.03)))
            ws.append([year, org, nr, navn, beboere, *vals])
        save_xlsx(wb, folder / f"beboerdata_{year}.xlsx")
        n += len(DEPARTMENTS) + len(others)
    return n
