"""Population: Copenhagen's total, the city's district file and the 100 m grid for Amager.

Every figure derives from one city total per quarter (`city_total`), so FOLK1A, the district file and the
grid agree with each other the way the real sources roughly do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely

from ._util import rng, write_csv
from .geography import DATA, area_map

# 1 January 2024, roughly the real district sizes (bydel 99 = outside the division).
DISTRICT_2024 = {1: 58_000, 2: 79_500, 3: 80_000, 4: 77_500, 5: 63_500, 6: 41_000, 7: 45_500, 8: 55_000,
                 9: 60_500, 10: 82_500, 99: 2_500}
# Yearly growth of a district's share, relative to the city: Ørestad makes Amager Vest grow fastest.
DISTRICT_DRIFT = {10: 0.012, 5: 0.003, 9: 0.002, 1: -0.004, 3: -0.003}
AGES = tuple(range(0, 100, 5))  # the district file uses 5-year steps here to stay small
STATKODER = (5100, 5120, 5999)  # Danmark, Sverige, øvrige lande/uoplyst
GRID_AGE_GROUPS = ("0-17", "18-64", "65+")


def city_total(year: int, quarter: int = 1) -> int:
    """First day of the quarter; ~580,000 in 2014 rising ~1.2 % a year, students arrive in Q3/Q4."""
    t = (year - 2014) + (quarter - 1) / 4
    season = {1: 0.0, 2: 0.001, 3: 0.004, 4: 0.006}[quarter]
    return int(round(580_000 * 1.012 ** t * (1 + season)))


def district_pops(year: int) -> dict[int, int]:
    w = {b: v * (1 + DISTRICT_DRIFT.get(b, 0.0)) ** (year - 2024) for b, v in DISTRICT_2024.items()}
    total = city_total(year, 1)
    s = sum(w.values())
    pops = {b: int(round(total * v / s)) for b, v in w.items()}
    pops[4] += total - sum(pops.values())  # the file's districts add up to the municipality exactly
    return pops


def _age_profile() -> np.ndarray:
    """Copenhagen is young: a bulge at 20-39, few old."""
    a = np.array(AGES, dtype=float)
    p = np.exp(-((a - 30) / 14) ** 2) * 1.6 + np.exp(-((a - 5) / 8) ** 2) * 0.6 + np.exp(-(a / 55) ** 2) * 0.5
    p[a >= 85] *= 0.4
    return p / p.sum()


def _split(total: int, shares: np.ndarray) -> np.ndarray:
    """Integer split that keeps the total exactly (largest remainder)."""
    raw = total * shares / shares.sum()
    base = np.floor(raw).astype(int)
    rest = total - base.sum()
    if rest > 0:
        base[np.argsort(-(raw - base), kind="stable")[:rest]] += 1
    return base


def write_kk_befolkning(folder: Path, years: range, seed: int) -> int:
    prof = _age_profile()
    rows = []
    for year in years:
        r = rng(seed, "kk_befolkning", year)
        for bydel, pop in sorted(district_pops(year).items()):
            ages = _split(pop, prof * r.lognormal(0, 0.05, len(AGES)))
            foreign = {9: 0.30, 10: 0.27}.get(bydel, 0.24)
            for age, n in zip(AGES, ages, strict=True):
                st = _split(int(n), np.array([1 - foreign, foreign * 0.12, foreign * 0.88]))
                rows += [(year, bydel, age, k, int(v)) for k, v in zip(STATKODER, st, strict=True) if v > 0]
    return write_csv(folder / "befkbhalderstatkode.csv", ("AAR", "BYDEL", "ALDER", "STATKODE", "PERSONER"),
                     rows, sep=",")


@dataclass(frozen=True, eq=False)  # hashed by identity, so it can key caches
class Grid:
    """Populated 100 m cells of Amager Vest and Øst (SW corner in units of 100 m)."""

    e: np.ndarray
    n: np.ndarray
    bydel: np.ndarray
    base: np.ndarray  # relative density, fixed over the years
    housing: np.ndarray  # centre lies in one of the partnership's housing areas
    years: tuple[int, ...]
    totals: dict[int, np.ndarray]  # persons per cell and year

    @property
    def cx(self) -> np.ndarray:
        return self.e * 100.0 + 50

    @property
    def cy(self) -> np.ndarray:
        return self.n * 100.0 + 50


def _roder() -> list[tuple[str, str, shapely.Geometry]]:
    rows = []
    for line in (DATA / "amager_roder.csv").read_text(encoding="utf-8").splitlines()[1:]:
        nr, navn, kvarter, _bydel, wkt = line.split(";", 4)
        rows.append((navn, kvarter, shapely.from_wkt(wkt)))
    return rows


# Roder that are mostly commons, allotments, parks or new-build Ørestad (weight, share of cells populated).
_RODE_OVERRIDES = {
    "Amager Fælled": (0.15, 0.06), "Sundby Overdrev": (0.3, 0.12), "Agerbos": (0.4, 0.25),
    "Kløvermarks": (0.6, 0.10), "Dæmningens": (0.3, 0.06), "Skyttecentrets": (0.9, 0.12),
    "Koklappernes": (0.7, 0.05), "Mejlgårdens": (1.6, 0.25), "Bella Centers": (1.4, 0.30),
    "Eksercerpladsen": (1.5, 0.25), "Faste Batteris": (1.4, 0.22), "Agnetes": (0.8, 0.45),
    "Backers": (1.0, 0.6), "Lindgreens": (1.0, 0.5),
}


@lru_cache(maxsize=4)
def build_grid(seed: int, years: tuple[int, ...]) -> Grid:
    areas = area_map()
    r = rng(seed, "grid")
    minx, miny, maxx, maxy = shapely.union(areas["BY09"], areas["BY10"]).bounds
    ee, nn = np.meshgrid(np.arange(int(minx // 100), int(maxx // 100) + 1),
                         np.arange(int(miny // 100), int(maxy // 100) + 1))
    e, n = ee.ravel(), nn.ravel()
    cx, cy = e * 100.0 + 50, n * 100.0 + 50
    bydel = np.zeros(e.size, dtype=int)
    bydel[shapely.contains_xy(areas["BY09"], cx, cy)] = 9
    bydel[shapely.contains_xy(areas["BY10"], cx, cy)] = 10

    # A smooth random field decides which cells of a large rode are built up.
    field = np.zeros(e.size)
    for _ in range(60):
        px, py = r.uniform(minx, maxx), r.uniform(miny, maxy)
        d2 = (cx - px) ** 2 + (cy - py) ** 2
        field += r.uniform(0.5, 1.5) * np.exp(-d2 / (2 * r.uniform(200, 500) ** 2))
    field += r.uniform(0, 0.15, e.size)

    base = np.zeros(e.size)
    for navn, _kvarter, geom in _roder():
        inside = np.flatnonzero(shapely.contains_xy(geom, cx, cy) & (bydel > 0))
        if inside.size == 0:
            continue
        weight, frac = _RODE_OVERRIDES.get(navn, (1.0, min(1.0, 30e4 / geom.area)))
        k = max(1, int(round(inside.size * frac)))
        chosen = inside[np.argsort(-field[inside], kind="stable")[:k]]
        # Small roder are the dense ones: population grows with the square root of the built-up area.
        base[chosen] = weight * np.sqrt(k) / k * r.lognormal(0, 0.35, k)

    housing = np.zeros(e.size, dtype=bool)
    for code, g in areas.items():
        if code.startswith("BO_"):
            housing |= shapely.contains_xy(g, cx, cy)
    # The smaller housing estates are dense blocks: every cell is built up.
    estates = np.zeros(e.size, dtype=bool)
    for code, g in areas.items():
        if code.startswith("BO_") and code != "BO_URBANPLANEN":
            estates |= shapely.contains_xy(g, cx, cy)
    dense = np.percentile(base[base > 0], 75)
    base[estates & (bydel > 0)] = np.maximum(base[estates & (bydel > 0)], dense) * r.lognormal(0, 0.15, 1)
    # A few single houses and institutions: cells with 1-4 residents, which the grid suppresses.
    tiny = (base == 0) & (bydel > 0) & (r.random(e.size) < 0.05)
    base[tiny] = -1.0

    keep = base != 0
    e, n, bydel, base, housing = e[keep], n[keep], bydel[keep], base[keep], housing[keep]
    totals = {}
    for year in years:
        ry = rng(seed, "grid", year)
        pops = district_pops(year)
        t = np.zeros(e.size)
        for b in (9, 10):
            m = (bydel == b) & (base > 0)
            w = base[m] * ry.lognormal(0, 0.04, m.sum())
            t[m] = w / w.sum() * pops[b] * 0.985
            for _ in range(5):  # no 100 m cell in Amager holds more than ~450 people
                over = t[m] > 450
                if not over.any():
                    break
                excess = (t[m][over] - 450).sum()
                tm = t[m]
                tm[over] = 450
                tm[~over] += excess * tm[~over] / tm[~over].sum()
                t[m] = tm
        small = base < 0
        t[small] = ry.integers(1, 5, small.sum())
        totals[year] = np.round(t).astype(int)
    return Grid(e, n, bydel, base, housing, tuple(years), totals)


def write_grid(folder: Path, grid: Grid, seed: int, extra: Grid | None = None) -> tuple[int, int]:
    """Only where the partnerships are (Amager Vest and Øst, and `extra`: Tingbjerg-Husum's cells): the
    whole city's grid would not fit in the committed sample. Each grid's age split has its own stream, so
    adding a partnership's cells never changes Amager's rows."""
    rows_total = 0
    for year in grid.years:
        rows = _grid_rows(grid, year, rng(seed, "grid_ages", year))
        if extra is not None:
            rows += _grid_rows(extra, year, rng(seed, "grid_ages_thp", year))
        rows_total += write_csv(folder / f"befolkning_100m_{year}.csv.gz", ("aar", "celle_id", "aldersgruppe",
                                                                             "personer"), rows, gz=True)
    return rows_total, len(grid.years)


def _grid_rows(grid: Grid, year: int, r) -> list[tuple]:
    """One grid's rows of a year, sorted by cell (north, then east)."""
    tot = grid.totals[year]
    kids = np.where(grid.housing, 0.25, 0.16) * r.lognormal(0, 0.2, tot.size)
    old = np.where(grid.housing, 0.13, 0.11) * r.lognormal(0, 0.3, tot.size)
    a = np.round(tot * kids).astype(int)
    c = np.round(tot * old).astype(int)
    b = tot - a - c
    order = np.lexsort((grid.e, grid.n))
    rows = []
    for i in order:
        cid = f"100m_{grid.n[i]}_{grid.e[i]}"
        if tot[i] <= 0:
            continue
        if tot[i] < 5:
            rows += [(year, cid, g, "..") for g in GRID_AGE_GROUPS]
        else:
            vals = (a[i], b[i], c[i])
            rows += [(year, cid, g, int(v)) for g, v in zip(GRID_AGE_GROUPS, vals, strict=True)]
    return rows
