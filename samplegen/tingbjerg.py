"""The sample's second partnership, Tingbjerg-Husum: its rode layer, residents, LBF departments and plans.

Its area is the city's own (partnerships.md): the real roder with `udsat_byomraade` = `Tingbjerg/Husum` in the
city's rode layer, which the sample ships unchanged as `geo/rode.geojson`. Everything here is drawn from its
own seeded streams and only *added* to the sample (grid cells, LBF rows, plan files in `aktiviteter/THP/`),
so Amager's data, and so its figures, are byte-for-byte what they were with one partnership. Survey
respondents and police reports in the area need nothing new: the generator already spreads Brønshøj-Husum's
respondents and reports over the whole district, and about a quarter of them fall in the area.

The party spellings and housing departments come from the partnership's file (partnerskaber/THP.toml), the
one list the pipeline normalises against.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyproj
import shapely
from shapely.geometry import shape

from assets.foundation.partnerships import Partnership, load_partnerships
from assets.foundation.settings import PROJECT_ROOT

from ._util import rng, write_bytes, write_csv
from .population import Grid, district_pops

DATA = Path(__file__).parent / "data"
RODE_FILE = DATA / "rode.geojson"  # the city's WFS layer k101:rode, unchanged (PROVENANCE.md)
CODE = "THP"
DISTRICT = 7  # Brønshøj-Husum (bydel_nr 7)
SHARE_OF_DISTRICT = 0.3  # ~14,000 of the district's ~46,000 residents live in the area
BUDGET = 1_200_000
TARGET_SHARE = {2024: 0.78, 2025: 0.72}  # 2025 misses the 75 % goal
DEFAULT_SHARE = 0.8
# (organisation, number) -> (name, residents, profile of samplegen.context._profile)
DEPARTMENT_NAMES = {
    ("FSB", "2301"): ("Tingbjerg, fsb", 3_100, "udsat"), ("SAB", "1201"): ("Tingbjerg, SAB", 2_400, "udsat"),
    ("FSB", "2311"): ("Voldparken", 1_150, "forebyg"), ("FSB", "2320"): ("Husumgård", 900, "forebyg"),
    ("AAB", "4801"): ("Gadelandet", 700, "rolig"),
}


@lru_cache(maxsize=1)
def partnership() -> Partnership:
    return load_partnerships(PROJECT_ROOT / "partnerskaber", CODE)[0]


def write_rode(folder: Path) -> int:
    """The rode layer exactly as the city's WFS delivers it (the pipeline reads it as an area source)."""
    data = RODE_FILE.read_bytes()
    write_bytes(folder / "rode.geojson", data)
    return len(json.loads(data)["features"])


@lru_cache(maxsize=1)
def _roder() -> dict[int, tuple[dict, shapely.Geometry]]:
    tr = pyproj.Transformer.from_crs(4326, 25832, always_xy=True)
    out = {}
    for feat in json.loads(RODE_FILE.read_text(encoding="utf-8"))["features"]:
        g = shapely.make_valid(shape(feat["geometry"]))
        g = shapely.transform(g, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))
        out[int(feat["properties"]["rode_nr"])] = (feat["properties"], g)
    return out


def area() -> shapely.Geometry:
    """The partnership's area: the union of its roder (as its file defines it)."""
    return shapely.union_all([g for p, g in _roder().values() if p.get("udsat_byomraade") == "Tingbjerg/Husum"])


def housing() -> shapely.Geometry:
    """Where its housing estates are (the roder its file names for its housing areas): the dense cells."""
    numbers = {n for a in partnership().boligomraader if a.kilde == "roder" for n in a.vaerdier}
    return shapely.union_all([_roder()[n][1] for n in numbers])


@lru_cache(maxsize=4)
def build_grid(seed: int, years: tuple[int, ...]) -> Grid:
    """Populated 100 m cells of the area: estates dense, the rest (Vestvolden, allotments) thin."""
    r = rng(seed, "grid_thp")
    geom, estates = area(), housing()
    minx, miny, maxx, maxy = geom.bounds
    ee, nn = np.meshgrid(np.arange(int(minx // 100), int(maxx // 100) + 1),
                         np.arange(int(miny // 100), int(maxy // 100) + 1))
    e, n = ee.ravel(), nn.ravel()
    cx, cy = e * 100.0 + 50, n * 100.0 + 50
    inside = shapely.contains_xy(geom, cx, cy)
    dense = shapely.contains_xy(estates, cx, cy)
    base = np.where(dense, r.lognormal(0, 0.3, e.size), np.where(r.random(e.size) < 0.35, 0.25, 0.0))
    base[~inside] = 0.0
    tiny = inside & (base == 0) & (r.random(e.size) < 0.05)
    base[tiny] = -1.0
    keep = base != 0
    e, n, base, dense = e[keep], n[keep], base[keep], dense[keep]
    totals = {}
    for year in years:
        ry = rng(seed, "grid_thp", year)
        t = np.zeros(e.size)
        m = base > 0
        w = base[m] * ry.lognormal(0, 0.04, m.sum())
        t[m] = np.minimum(w / w.sum() * district_pops(year)[DISTRICT] * SHARE_OF_DISTRICT, 450)
        t[base < 0] = ry.integers(1, 5, int((base < 0).sum()))
        totals[year] = np.round(t).astype(int)
    return Grid(e, n, np.full(e.size, DISTRICT), base, dense, tuple(years), totals)


def departments() -> list[tuple[str, str, str, str, int, str]]:
    """(organisation, number, name, housing area, residents, profile), in the order of the file."""
    out = []
    for org, nr, code in partnership().lbf_afdelinger:
        navn, residents, kind = DEPARTMENT_NAMES[(org, nr)]
        out.append((org, nr, navn, code, residents, kind))
    return out


def _spellings() -> dict[str, list[str]]:
    return {p.navn: [p.navn, *p.aliaser] for p in partnership().parter}


TITLES = ["Tryghedsvandring i Tingbjerg", "Nattevandring", "Lektiecafé på biblioteket", "Fritidsjob til unge",
          "Fællesspisning i Voldparken", "Belysning langs Vestvolden", "Sommerferieaktiviteter",
          "Forældrenetværk", "Jobcafé i Husum", "Pop-up politistation", "Ungdomsklub i weekenden",
          "Oprydning i gårdmiljøer"]


def _activities(year: int, seed: int) -> list[tuple]:
    r = rng(seed, "aktiviteter_thp", year)
    n = int(r.integers(18, 26))
    spellings = _spellings()
    parties = [p.navn for p in partnership().parter if p.partnertype == "part"]
    collaborators = [p.navn for p in partnership().parter if p.partnertype == "samarbejdspartner"]
    cancelled = set(r.choice(n, 1, replace=False).tolist())
    active = [i for i in range(n) if i not in cancelled]
    multi = set(r.choice(active, int(round(TARGET_SHARE.get(year, DEFAULT_SHARE) * len(active))),
                         replace=False).tolist())
    budgets = np.round(r.dirichlet(np.full(n, 3.0)) * BUDGET / 5_000) * 5_000
    rows = []
    for i in range(n):
        if i in multi:
            names = list(r.choice(parties, 2, replace=False))
            if r.random() < 0.3:
                names.append(collaborators[int(r.integers(len(collaborators)))])
        else:
            names = [parties[int(r.integers(len(parties)))]]
        spelled = [spellings[nm][int(r.integers(len(spellings[nm])))] for nm in names]
        status = "aflyst" if i in cancelled else ("gennemfoert" if year < 2026 else "planlagt")
        rows.append((year, f"THP{year}-{i + 1:02d}", TITLES[int(r.integers(len(TITLES)))], int(r.integers(1, 5)),
                     ", ".join(spelled), int(budgets[i]), status))
    return rows


def write_activities(folder: Path, plan_years: range, seed: int) -> int:
    """The partnership's plans in aktiviteter/THP/ (extracts.md: a partnership's plans in its own folder)."""
    target = folder / CODE
    target.mkdir(parents=True, exist_ok=True)
    for f in target.iterdir():
        if f.is_file():
            f.unlink()
    header = ("aar", "aktivitet_id", "titel", "indsatsomraade", "partnere", "budget_kr", "status")
    return sum(write_csv(target / f"tryghedsplan_{year}.csv", header, _activities(year, seed))
               for year in plan_years)
