"""Police report extracts, with the overlapping deliveries the contract describes.

Volume is the real one at scale 1: Copenhagen has ~50,000 borgervendt reports a year, the sample ~58,700
reports of all kinds (tests use a fraction via `scale`). The split over districts follows the real 2025
counts (Amager Vest 6,558 and Amager Øst 3,070 of 50,337; ~8 % not placed in any district), with extra
reports around the partnership area's hot spots, which ease off a little in 2025.

Deliveries: one main file per year delivered in January after the year, holding a few late-registered
reports of the previous December (rows of another year, decision 12); for some years a later `_rettelser`
file that corrects a few % of the reports and repeats a few rows unchanged; for one year an earlier
preliminary first-quarter delivery whose file name sorts *after* the main file, so that only
`leveret_dato`, never the name, can decide which row wins; and for the running year (CURRENT_YEAR) only a
preliminary first-quarter delivery.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import shapely

from ._util import rng, write_bytes
from .geography import area_map
from .population import Grid

# At scale 1, for 2024: the real level. The 2026 survey report quotes 50,337 borgervendt reports in 2025 for
# Copenhagen (75 per 1,000), Amager Vest 6,558 (72) and Amager Øst 3,070 (48); ~87 % of the drawn codes are
# borgervendt, so ~58,700 reports of all kinds a year give that level.
REPORTS_PER_YEAR = 58_700
# The running year: only a preliminary first-quarter delivery has come (decision 10), so its figures are
# published as foreloebig and the status of 2026 judges police year 2025.
CURRENT_YEAR = 2026
LATE_SHARE = 0.002  # reports made in the last days of December but only delivered with the next year's file
YEAR_FACTOR = {2014: 1.06, 2015: 1.05, 2016: 1.04, 2017: 1.03, 2018: 1.01, 2019: 0.99, 2020: 0.95, 2021: 0.96,
               2022: 0.98, 2023: 0.99, 2024: 1.0, 2025: 0.99}
# Real 2025 reports per district (the 2026 survey report; 13 survey areas folded into the 10 districts).
DISTRICT_REPORTS = {1: 12_815, 2: 3_672, 3: 3_826, 4: 7_591, 5: 2_849, 6: 1_562, 7: 1_668, 8: 2_484, 9: 3_070,
                    10: 6_558}
UNPLACED = 4_242 / 50_337
HOTSPOT_SHARE = {2025: 0.15}  # of Amager's reports; 0.20 before 2025
HOTSPOTS = [  # (x, y, spread m, weight): estates, squares and shopping streets in and around the area
    (726250, 6173300, 90, 3.0), (726680, 6173590, 60, 1.5), (726630, 6173190, 60, 1.5),
    (726620, 6172750, 60, 1.0), (727200, 6174810, 80, 1.5), (727620, 6174520, 60, 1.0),
    (726900, 6174250, 70, 1.5), (725330, 6171700, 70, 1.5),  # the last one: Fields, Ørestad
]

CODES: dict[int, tuple[str, float]] = {  # code: (label, relative frequency)
    1120: ("Voldtægt", 0.5), 1150: ("Blufærdighedskrænkelse", 0.7),
    1210: ("Vold mod offentlig myndighed", 1.2),
    1220: ("Simpel vold", 6.0), 1230: ("Grov vold", 0.6), 1240: ("Manddrab", 0.02), 1260: ("Trusler", 3.0),
    1320: ("Indbrud i beboelse", 5.0), 1321: ("Indbrud i virksomhed", 2.5),
    1324: ("Indbrud i kolonihavehus", 0.4), 1330: ("Butikstyveri", 8.0), 1331: ("Lommetyveri", 7.0),
    1332: ("Tyveri fra bil", 5.0), 1333: ("Cykeltyveri", 14.0), 1339: ("Brugstyveri af køretøj", 2.0),
    1380: ("Røveri", 0.8), 1381: ("Gaderøveri", 0.8), 1390: ("Hærværk", 6.0), 1391: ("Graffiti", 2.0),
    1435: ("Salg af narkotika", 0.8), 1440: ("Smugling af narkotika", 0.2),
    1485: ("Chikane, freds- og ærekrænkelser", 2.5), 1490: ("Øvrige straffelovsovertrædelser", 9.0),
    1350: ("Dokumentfalsk", 1.0), 1360: ("Bedrageri mod virksomhed", 6.0),
    1910: ("Overtrædelse af våbenloven", 1.2), 1920: ("Besiddelse af euforiserende stoffer", 5.0),
    2010: ("Spirituskørsel", 2.0), 2020: ("Flugt fra færdselsuheld", 1.5),
    2090: ("Øvrige færdselslovsovertrædelser", 4.0),
    # Not in the project's mapping: the pipeline must show them as unmapped, not drop them.
    1499: ("Anden overtrædelse", 0.7), 2999: ("Overtrædelse af særlov", 0.4),
}
_HOTSPOT_BOOST = {1220: 2.0, 1230: 2.0, 1260: 2.0, 1380: 2.5, 1381: 2.5, 1390: 2.0, 1391: 2.0, 1435: 3.0,
                  1485: 2.0, 1920: 2.5, 1910: 2.0, 1333: 0.6, 1360: 0.3}
_CORRECTED_CODE = {1330: 1331, 1331: 1330, 1220: 1230, 1230: 1220, 1390: 1391, 1391: 1390, 1320: 1321,
                   1321: 1320, 1333: 1339, 1339: 1333, 1490: 1485, 1485: 1490, 1499: 1490, 2999: 2090,
                   1260: 1220, 1380: 1381, 1381: 1380, 1332: 1330, 1920: 1435}


@dataclass(frozen=True)
class Reports:
    seq: np.ndarray  # running number of the report within its year (journalnr's serial part)
    date: np.ndarray  # datetime64[D]
    fra: np.ndarray  # datetime64[m], NaT = empty
    til: np.ndarray
    code: np.ndarray
    x: np.ndarray  # NaN = not geocoded
    y: np.ndarray
    district: np.ndarray  # 0 = not placed

    def take(self, idx: np.ndarray) -> Reports:
        return Reports(*(getattr(self, f)[idx] for f in self.__dataclass_fields__))


def _random_points(geom, n: int, r: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points at metre precision inside a polygon (rejection sampling)."""
    minx, miny, maxx, maxy = geom.bounds
    xs, ys = [], []
    got = 0
    while got < n:
        x = np.floor(r.uniform(minx, maxx, 4 * n + 16)) + 0.0
        y = np.floor(r.uniform(miny, maxy, 4 * n + 16)) + 0.0
        m = shapely.contains_xy(geom, x, y)
        xs.append(x[m])
        ys.append(y[m])
        got += int(m.sum())
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


@lru_cache(maxsize=4)
def _addresses(seed: int, grid: Grid, scale: float) -> dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """A fixed pool of places per district: reports pile up at addresses (shops, stations, homes)."""
    areas = area_map()
    out = {}
    for b, n_real in DISTRICT_REPORTS.items():
        r = rng(seed, "police_addresses", b)
        n = max(40, int(n_real * 0.35 * REPORTS_PER_YEAR / 50_337 * 2.9 * scale))
        geom = areas[f"BY{b:02d}"]
        if b in (9, 10):  # in Amager most places lie in populated cells, the rest in streets and parks
            m = (grid.bydel == b) & (grid.totals[grid.years[-1]] > 0)
            pop = grid.totals[grid.years[-1]][m].astype(float)
            n_cell = int(n * 0.8)
            idx = r.choice(pop.size, n_cell, p=pop / pop.sum())
            cx = grid.e[m][idx] * 100.0 + np.floor(r.uniform(0, 100, n_cell))
            cy = grid.n[m][idx] * 100.0 + np.floor(r.uniform(0, 100, n_cell))
            ox, oy = _random_points(geom, n - n_cell, r)
            x, y = np.concatenate([cx, ox]), np.concatenate([cy, oy])
            ok = shapely.contains_xy(geom, x, y)  # a cell on the border may stick out of its district
            x, y = x[ok], y[ok]
        else:
            x, y = _random_points(geom, n, r)
        out[b] = (x, y, r.lognormal(0, 1.0, x.size))
    return out


def _code_probs(boost: bool) -> tuple[np.ndarray, np.ndarray]:
    codes = np.array(list(CODES))
    w = np.array([CODES[c][1] * (_HOTSPOT_BOOST.get(c, 1.0) if boost else 1.0) for c in codes])
    return codes, w / w.sum()


def _hotspot_points(n: int, geom, r: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    hw = np.array([h[3] for h in HOTSPOTS])
    xs, ys = np.empty(0), np.empty(0)
    while xs.size < n:
        k = r.choice(len(HOTSPOTS), 2 * n + 8, p=hw / hw.sum())
        spread = np.array([HOTSPOTS[i][2] for i in k])
        x = np.floor(np.array([HOTSPOTS[i][0] for i in k]) + r.normal(0, 1, k.size) * spread)
        y = np.floor(np.array([HOTSPOTS[i][1] for i in k]) + r.normal(0, 1, k.size) * spread)
        m = shapely.contains_xy(geom, x, y)
        xs, ys = np.concatenate([xs, x[m]]), np.concatenate([ys, y[m]])
    return xs[:n], ys[:n]


def _times(dates: np.ndarray, r: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """When it happened: usually the day reported or a few days before; police log to 5 minutes."""
    n = dates.size
    lag = np.where(r.random(n) < 0.55, 0, np.minimum(r.geometric(0.25, n), 120))
    hour_p = np.array([4, 3, 3, 2, 1, 1, 1, 2, 3, 4, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 5, 5], dtype=float)
    step = np.where(r.random(n) < 0.7, 15, 5)  # most victims give the time to the quarter hour
    minute = r.choice(24, n, p=hour_p / hour_p.sum()) * 60 + r.integers(0, 60, n) // step * step
    fra = (dates - lag.astype("timedelta64[D]")).astype("datetime64[m]") + minute.astype("timedelta64[m]")
    dur = np.where(r.random(n) < 0.3, 0, r.integers(1, 48, n) * 15)
    end_of_day = dates.astype("datetime64[m]") + np.timedelta64(23 * 60 + 55, "m")
    fra = np.minimum(fra, end_of_day)
    til = np.minimum(fra + dur.astype("timedelta64[m]"), end_of_day)
    no_til = r.random(n) < 0.3
    no_fra = r.random(n) < 0.03
    nat = np.datetime64("NaT", "m")
    return np.where(no_fra, nat, fra), np.where(no_fra | no_til, nat, til)


def draw(seed: int, year: int, grid: Grid, scale: float) -> Reports:
    r = rng(seed, "police", year)
    areas = area_map()
    total = int(round(REPORTS_PER_YEAR * scale * YEAR_FACTOR.get(year, 1.0) * r.uniform(0.98, 1.02)))
    n_unplaced = int(round(total * UNPLACED))
    wd = np.array(list(DISTRICT_REPORTS.values()), dtype=float)
    counts = r.multinomial(total - n_unplaced, wd / wd.sum())
    pool = _addresses(seed, grid, scale)
    codes, p_normal = _code_probs(False)
    _, p_hot = _code_probs(True)

    parts = []
    for b, k in zip(DISTRICT_REPORTS, counts, strict=True):
        ax, ay, aw = pool[b]
        k_hot = int(round(k * HOTSPOT_SHARE.get(year, 0.20))) if b in (9, 10) else 0
        i = r.choice(ax.size, k - k_hot, p=aw / aw.sum())
        hx, hy = _hotspot_points(k_hot, areas[f"BY{b:02d}"], r)
        code = np.concatenate([r.choice(codes, k - k_hot, p=p_normal), r.choice(codes, k_hot, p=p_hot)])
        parts.append((np.concatenate([ax[i], hx]), np.concatenate([ay[i], hy]), code, np.full(k, b)))
    parts.append((np.full(n_unplaced, np.nan), np.full(n_unplaced, np.nan),
                  r.choice(codes, n_unplaced, p=p_normal), np.zeros(n_unplaced, dtype=int)))
    x, y, code, district = (np.concatenate([p[i] for p in parts]) for i in range(4))

    days = np.arange(np.datetime64(f"{year}-01-01"), np.datetime64(f"{year + 1}-01-01"))
    season = 1 + 0.15 * np.sin((np.arange(days.size) - 100) / days.size * 2 * np.pi)
    date = r.choice(days, x.size, p=season / season.sum())
    order = np.lexsort((r.random(x.size), date))
    x, y, code, district, date = x[order], y[order], code[order], district[order], date[order]
    fra, til = _times(date, r)

    seq = np.arange(1, x.size + 1) + r.integers(100, 900)
    return Reports(seq, date, fra, til, code, x, y, district)


def journalnr(seq: np.ndarray, year: int) -> pa.Array:
    """`0100-80150-01234-24`: five-digit serials; past 99,999 reports a year (the national-size inbox) the
    second part counts up (80151, 80152, ...), so every number keeps the police's shape."""
    serial = pc.utf8_lpad(pc.cast(pa.array(seq % 100_000), pa.string()), 5, "0")
    series = pc.cast(pa.array(80150 + seq // 100_000), pa.string())
    return pc.binary_join_element_wise("0100", series, serial, f"{year % 100:02d}", "-")


HEADER = ("journalnr", "anmeldt_dato", "gerning_fra", "gerning_til", "gerningskode", "gerningskode_tekst",
          "kommunekode", "x_utm32", "y_utm32", "leveret_dato")
_LABELS = {c: label for c, (label, _) in CODES.items()}


def _table(rep: Reports, year: int, delivered: dt.date) -> pa.Table:
    """One delivery's rows as typed columns; Arrow's CSV writer renders them exactly as the contract reads
    them (dates ISO, times `YYYY-MM-DD HH:MM:SS`, whole-metre coordinates, empty = missing)."""
    codes = np.array(sorted(_LABELS))
    labels = pa.array([_LABELS[c] for c in codes])
    n = rep.code.size

    def metres(v: np.ndarray) -> pa.Array:
        return pa.array(np.nan_to_num(v).astype(np.int64), mask=np.isnan(v))

    def minutes(t: np.ndarray) -> pa.Array:
        return pa.array(t.astype("datetime64[s]"), mask=np.isnat(t))

    return pa.table([
        journalnr(rep.seq, year),
        pa.array(rep.date.astype("datetime64[D]")),
        minutes(rep.fra), minutes(rep.til),
        pa.array(rep.code.astype(np.int64)),
        labels.take(pa.array(np.searchsorted(codes, rep.code))),
        pa.array(np.full(n, 101, dtype=np.int64)),
        metres(rep.x), metres(rep.y),
        pa.array(np.full(n, delivered.isoformat())),
    ], names=list(HEADER))


def _write(path: Path, table: pa.Table, gz: bool) -> int:
    """`;`-separated, header unquoted, no field quoted (no value holds `;`, `"` or a line break)."""
    body = pa.BufferOutputStream()
    pacsv.write_csv(table, body, pacsv.WriteOptions(include_header=False, delimiter=";", quoting_style="none"))
    write_bytes(path, (";".join(HEADER) + "\n").encode("utf-8") + body.getvalue().to_pybytes(), gz=gz)
    return table.num_rows


def _altered(rep: Reports, idx: np.ndarray, seed: int, key: str, grid: Grid, scale: float) -> Reports:
    """Change the code and/or the place of some reports (a later or an earlier version of them)."""
    r = rng(seed, "police_alter", key)
    sub = rep.take(idx)
    code, x, y = sub.code.copy(), sub.x.copy(), sub.y.copy()
    pool = _addresses(seed, grid, scale)
    what = r.random(idx.size)
    for j in range(idx.size):
        if what[j] < 0.55 and int(code[j]) in _CORRECTED_CODE:
            code[j] = _CORRECTED_CODE[int(code[j])]
        else:
            b = int(sub.district[j]) or int(r.choice(list(DISTRICT_REPORTS)))
            ax, ay, _ = pool[b]
            k = r.integers(ax.size)
            x[j], y[j] = ax[k], ay[k]
    return replace(sub, code=code, x=x, y=y)


def write_police(folder: Path, seed: int, years: range, grid: Grid, scale: float,
                 gz: bool = True) -> tuple[int, int]:
    rows = files = 0
    last = years[-1]
    ext = ".csv.gz" if gz else ".csv"
    for year in years:
        r = rng(seed, "police_deliveries", year)
        rep = draw(seed, year, grid, scale)
        if year >= CURRENT_YEAR:  # the running year: only a preliminary first-quarter delivery so far
            q1 = np.flatnonzero(rep.date < np.datetime64(f"{year}-04-01"))
            rows += _write(folder / f"anmeldelser_{year}_foreloebig{ext}", _table(rep.take(q1), year,
                                                                                  dt.date(year, 4, 10)), gz)
            files += 1
            continue
        if year > years[0]:  # late registrations: reported in the last days of December, delivered now
            early = np.flatnonzero(rep.date < np.datetime64(f"{year}-01-08"))
            late = np.sort(r.choice(early, min(early.size, max(1, int(rep.date.size * LATE_SHARE))), replace=False))
            date = rep.date.copy()
            date[late] = np.datetime64(f"{year - 1}-12-31") - r.integers(0, 4, late.size).astype("timedelta64[D]")
            fra, til = _times(date[late], rng(seed, "police_late", year))
            fra_all, til_all = rep.fra.copy(), rep.til.copy()
            fra_all[late], til_all[late] = fra, til
            rep = replace(rep, date=date, fra=fra_all, til=til_all)
        main_day = dt.date(year + 1, 1, 10 + int(r.integers(0, 15)))
        rows += _write(folder / f"anmeldelser_{year}{ext}", _table(rep, year, main_day), gz)
        files += 1
        if year % 3 == 0 or year == last - 1:
            n = rep.code.size
            fix = np.sort(r.choice(n, max(1, int(n * 0.03)), replace=False))
            same = np.setdiff1d(np.sort(r.choice(n, max(1, int(n * 0.01)), replace=False)), fix)
            fixed = _altered(rep, fix, seed, f"rettelser{year}", grid, scale)
            later = dt.date(year + 1, 5, 5 + int(r.integers(0, 20)))
            out = pa.concat_tables([_table(fixed, year, later), _table(rep.take(same), year, main_day)])
            order = np.argsort(np.concatenate([fixed.seq, rep.seq[same]]), kind="stable")  # journalnr order
            rows += _write(folder / f"anmeldelser_{year}_rettelser{ext}", out.take(order), gz)
            files += 1
        if year == last - 2:
            half = np.flatnonzero(rep.date < np.datetime64(f"{year}-04-01"))
            early = np.sort(r.choice(half, max(1, int(half.size * 0.04)), replace=False))
            prelim = _altered(rep, early, seed, f"foreloebig{year}", grid, scale)
            sub = rep.take(half)
            pos = np.searchsorted(half, early)
            for f in ("code", "x", "y"):
                getattr(sub, f)[pos] = getattr(prelim, f)
            rows += _write(folder / f"anmeldelser_{year}_foreloebig{ext}", _table(sub, year, dt.date(year, 4, 11)),
                           gz)
            files += 1
    return rows, files
