"""The city's safety survey (respondents), its published shares, and the national survey.

Shares are calibrated, not just drawn: within each year and district the weighted share answering 1-2 is
forced onto a target path (the published 2024 figures, the significant fall in Amager Øst, the 2026 facts),
so the sample tells the agreement's story on any seed. Inside a district a latent score decides who is safe,
so the partnership area comes out below the city without being set directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely

from ._util import dec, rng, write_csv
from .geography import area_map
from .population import Grid, district_pops

BYDELE = tuple(range(1, 11))
# Weighted % answering 1-2 of those answering 1-5, 2024 (Amager: the agreement's figures).
NAB_2024 = {1: 87, 2: 93, 3: 87, 4: 88, 5: 81, 6: 91, 7: 79, 8: 82, 9: 84, 10: 91}
AFT_2024 = {1: 78, 2: 84, 3: 77, 4: 78, 5: 71, 6: 81, 7: 68, 8: 70, 9: 70, 10: 82}
# 2025 moves toward the 2026 survey's published results (Vest 89, Øst 85, city 86).
NAB_2025 = {1: 86.5, 2: 92.5, 3: 86.5, 4: 88, 5: 80, 6: 90.5, 7: 77.5, 8: 81, 9: 85, 10: 89.5}
AFT_2025 = {1: 77.5, 2: 83.5, 3: 76.5, 4: 77.5, 5: 70, 6: 80.5, 7: 67, 8: 69, 9: 71, 10: 80.5}
# 2026: the city's published 2026 survey (realdata/kk-tryghed-2026-transcribed: Amager Vest 89, Amager Øst 85,
# Copenhagen 86; the 13 survey areas folded into the 10 districts); evening/night moves with the day share.
NAB_2026 = {1: 87, 2: 92, 3: 86, 4: 88, 5: 79, 6: 90, 7: 76, 8: 80, 9: 85, 10: 89}
AFT_2026 = {b: AFT_2025[b] + NAB_2026[b] - NAB_2025[b] for b in NAB_2026}
# Where 2014 stood: Amager Øst clearly higher (the agreement's significant fall), elsewhere close to 2024.
NAB_2014 = {9: 91.0, 10: 90.0}
AFT_2014 = {9: 78.0, 10: 80.5}
RESPONDENTS = 3_300  # a year, city-wide, at scale 1
OVERSAMPLE_AP = 1.4  # the partnership area, from 2016 (the original part; the whole area from 2025)
OVERSAMPLE_AMAGER = 1.25  # both Amager districts, every year, so district changes can be tested
AGE_GROUPS = ("18-29", "30-49", "50-64", "65+")


def _targets(seed: int, year: int) -> tuple[dict[int, float], dict[int, float]]:
    if year >= 2026:
        return NAB_2026, AFT_2026
    if year == 2025:
        return NAB_2025, AFT_2025
    r = rng(seed, "survey_targets", year)
    f = (2024 - year) / 10
    nab, aft = {}, {}
    for b in BYDELE:
        fixed = year == 2024 or (year == 2014 and b in (9, 10))
        wobble = 0.0 if fixed else float(np.clip(r.normal(0, 0.5), -1.0, 1.0))
        nab[b] = NAB_2024[b] + f * (NAB_2014.get(b, NAB_2024[b] - 0.5) - NAB_2024[b]) + wobble
        aft[b] = AFT_2024[b] + f * (AFT_2014.get(b, AFT_2024[b] - 1.0) - AFT_2024[b]) + wobble * 1.2
    return nab, aft


@dataclass(frozen=True)
class Sample:
    year: int
    bydel: np.ndarray
    x: np.ndarray  # NaN = no coordinate in the file
    y: np.ndarray
    zone: np.ndarray  # 0 elsewhere, 1 original partnership area, 2 the 2025 expansion
    w: np.ndarray
    nab: np.ndarray  # 0 = blank
    aft: np.ndarray
    koen: np.ndarray
    age: np.ndarray


@lru_cache(maxsize=8)
def _city_cells() -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Centres of the 100 m cells inside each district outside Amager (no grid data there)."""
    areas = area_map()
    minx, miny, maxx, maxy = areas["101"].bounds
    xs, ys = np.meshgrid(np.arange(minx // 100, maxx // 100 + 1) * 100 + 50,
                         np.arange(miny // 100, maxy // 100 + 1) * 100 + 50)
    xs, ys = xs.ravel(), ys.ravel()
    return {b: (xs[m], ys[m]) for b in BYDELE if b not in (9, 10)
            for m in [shapely.contains_xy(areas[f"BY{b:02d}"], xs, ys)]}


def _zones(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    areas = area_map()
    z = np.zeros(x.size, dtype=int)
    z[shapely.contains_xy(areas["AP_OPR"], x, y)] = 1
    z[shapely.contains_xy(areas["AP_DEL_UDV"], x, y)] = 2
    return z


def _calibrate(latent: np.ndarray, w: np.ndarray, target: float) -> np.ndarray:
    """Mark the highest latent scores as safe until their weight share reaches the target."""
    order = np.argsort(-latent, kind="stable")
    cum = np.cumsum(w[order]) / w.sum()
    k = int(np.argmin(np.abs(cum - target))) + 1
    safe = np.zeros(latent.size, dtype=bool)
    safe[order[:k]] = True
    return safe


def draw(seed: int, year: int, grid: Grid, scale: float) -> Sample:
    r = rng(seed, "survey", year)
    pops = district_pops(year)
    n_total = max(60, int(round(RESPONDENTS * scale * r.uniform(0.93, 1.1))))
    n_unknown = int(round(n_total * r.uniform(0.02, 0.04)))
    share = np.array([pops[b] * (OVERSAMPLE_AMAGER if b in (9, 10) else 1.0) for b in BYDELE])
    counts = r.multinomial(n_total - n_unknown, share / share.sum())
    oversample = year >= 2016
    cells = _city_cells()

    bydel, xs, ys, dw = [], [], [], []
    for b, k in zip(BYDELE, counts, strict=True):
        if b in (9, 10):
            m = grid.bydel == b
            cx, cy, pop = grid.cx[m], grid.cy[m], grid.totals.get(year, grid.totals[grid.years[-1]])[m]
            zone = _zones(cx, cy)
            in_ap = (zone == 1) | ((zone == 2) & (year >= 2025))
            f = np.where(in_ap & oversample, OVERSAMPLE_AP, 1.0)
            p = np.maximum(pop, 0) * f
            idx = r.choice(cx.size, size=k, p=p / p.sum())
            xs.append(cx[idx])
            ys.append(cy[idx])
            dw.append(1 / f[idx] / OVERSAMPLE_AMAGER)
        else:
            cx, cy = cells[b]
            idx = r.integers(0, cx.size, k)
            xs.append(cx[idx])
            ys.append(cy[idx])
            dw.append(np.ones(k))
        bydel.append(np.full(k, b))
    bydel.append(np.full(n_unknown, 99))
    xs.append(np.full(n_unknown, np.nan))
    ys.append(np.full(n_unknown, np.nan))
    dw.append(np.ones(n_unknown))
    bydel, x, y, dw = (np.concatenate(a) for a in (bydel, xs, ys, dw))
    zone = np.where(np.isnan(x), 0, _zones(np.nan_to_num(x), np.nan_to_num(y)))

    n = bydel.size
    perm = r.permutation(n)  # files are not sorted by district
    bydel, x, y, dw, zone = bydel[perm], x[perm], y[perm], dw[perm], zone[perm]
    koen = np.where(r.random(n) < 0.52, "K", "M")
    age = r.choice(len(AGE_GROUPS), n, p=[0.24, 0.34, 0.21, 0.21])
    w = dw * r.lognormal(0, 0.35, n) * np.where(age == 0, 1.3, 1.0)  # the young answer less: weighted up
    w = w / w.mean()

    # Latent feeling of safety: lower in the partnership area, at night for women and the old.
    base = np.where(zone == 1, -1.0, 0.0) + np.where(zone == 2, -0.9, 0.0)
    z1, z2 = r.normal(size=n), r.normal(size=n)
    lat_nab = base + z1
    lat_aft = base - 0.4 * (koen == "K") - 0.3 * (age == 3) + 0.7 * z1 + 0.71 * z2

    nab_t, aft_t = _targets(seed, year)
    nab_t = dict(nab_t) | {99: float(np.mean(list(nab_t.values())))}
    aft_t = dict(aft_t) | {99: float(np.mean(list(aft_t.values())))}
    answers = []
    questions = ((lat_nab, nab_t, 0.025, 0.01, 0.5), (lat_aft, aft_t, 0.045, 0.015, 0.35))
    for lat, targ, p9, pblank, p1 in questions:
        u = r.random(n)
        valid = u >= p9 + pblank
        ans = np.where(u < p9, 9, 0)
        safe = np.zeros(n, dtype=bool)
        for b in (*BYDELE, 99):
            m = np.flatnonzero((bydel == b) & valid)
            if m.size:
                safe[m] = _calibrate(lat[m], w[m], targ[b] / 100)
        top = np.where(r.random(n) < p1, 1, 2)
        low = r.choice([3, 4, 5], n, p=[0.55, 0.30, 0.15])
        answers.append(np.where(valid, np.where(safe, top, low), ans))

    if year <= 2015:  # the old surveys were not geocoded
        x, y = np.full(n, np.nan), np.full(n, np.nan)
    else:
        lost = r.random(n) < 0.01
        x, y = np.where(lost, np.nan, x), np.where(lost, np.nan, y)
    return Sample(year, bydel, x, y, zone, np.maximum(np.round(w, 3), 0.001), answers[0], answers[1], koen,
                  np.array(AGE_GROUPS)[age])


def weighted_share(ans: np.ndarray, w: np.ndarray) -> tuple[float, int]:
    """The indicator's definition: weighted share of 1-2 among those answering 1-5."""
    valid = (ans >= 1) & (ans <= 5)
    if not valid.any():
        return float("nan"), 0
    return float(w[valid & (ans <= 2)].sum() / w[valid].sum()), int(valid.sum())


def write_survey(folder: Path, s: Sample) -> int:
    def coord(v: float) -> str:
        return "" if np.isnan(v) else str(int(v))

    rows = ((s.year, 1001 + i, int(s.bydel[i]), coord(s.x[i]), coord(s.y[i]), dec(s.w[i], 3, comma=True),
             s.nab[i] or "", s.aft[i] or "", s.koen[i], s.age[i])
            for i in range(s.bydel.size))
    header = ("aar", "respondent_id", "bydel_nr", "x_utm32", "y_utm32", "vaegt", "tryg_nabolag",
              "tryg_aften_nat", "koen", "aldersgruppe")
    return write_csv(folder / f"tryghedsundersoegelse_{s.year}.csv", header, rows)


def write_published(folder: Path, samples: dict[int, Sample], seed: int) -> int:
    """The partnership's published shares before respondent data could be placed, plus one overlap row
    for the whole city (the pipeline reports the difference to its own figure)."""
    r = rng(seed, "survey_published")
    rows = []
    years = [y for y in sorted(samples) if y <= max(2016, min(samples))]
    for year in years:
        s = samples[year]
        for maal, ans in (("nabolag", s.nab), ("aften_nat", s.aft)):
            share, n = weighted_share(ans[s.zone == 1], s.w[s.zone == 1])
            rows.append((year, "AP_OPR", maal, dec(100 * share + r.uniform(-0.6, 0.6), 1, comma=True), n))
            if year == years[-1]:
                share, n = weighted_share(ans, s.w)
                pct = 100 * share + r.choice([-0.7, 0.5, 0.8])
                rows.append((year, "101", maal, dec(pct, 1, comma=True), n))
    return write_csv(folder / "tryghed_publiceret.csv", ("aar", "omraade_kode", "maal", "andel_tryg_pct",
                                                         "antal_svar"), rows)


JM = {
    2021: [("Remisevænget og Hørgården", "71,2", 388), ("Holmbladsgade og Støberigården", "61,5", 352),
           ("Tingbjerg", "63,8", 412)],
    2023: [("Remisevænget og Hørgården", "74", 405), ("Holmbladsgade og Støberigården", "58", 371),
           ("Tingbjerg", "66", 398)],
}


def write_jm(folder: Path) -> int:
    """The national survey publishes per housing area; Tingbjerg is elsewhere in the city, not mapped."""
    n = 0
    for year, rows in JM.items():
        n += write_csv(folder / f"jm_tryghed_{year}.csv",
                       ("aar", "boligomraade", "andel_grundlaeggende_tryg_pct", "antal_svar"),
                       [(year, *row) for row in rows])
    return n
