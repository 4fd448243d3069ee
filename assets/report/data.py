"""Reading what the report shows, from the published release alone.

The report must show exactly what BI tools and the catalog show, so it reads the Parquet marts,
manifest.json and omraader.geojson in the published folder and never the working database (which may be
half-way through the next run). Everything is filtered here, so the chart and template code only draws.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from assets.foundation.settings import Settings

GOAL_MART = "fct_maalopfyldelse"
MANIFEST = "manifest.json"
AREAS_FILE = "omraader.geojson"

MUNICIPALITY = "101"
PARTNERSHIPS_MART = "dim_partnerskab"
# One colour per area role, shared by every chart and the map, so a reader learns them once.
PARTNERSHIP_COLOUR = "#1f3a93"
PART_COLOURS = ("#2a9d8f", "#e07a3f", "#3d8f3d", "#c24d7a")
DISTRICT_COLOURS = ("#8e5ea2", "#b8860b", "#4f7f9f", "#8f6b3d")
MUNICIPALITY_COLOUR = "#6b6b6b"
SAFETY_MEASURES = ("nabolag", "aften_nat")
CRIME_TOTAL = "borgervendt_i_alt"
FOCUS_GROUPS = ("fokus_indbrud", "fokus_tyveri_roeveri", "fokus_vold_vaaben")
# the agreement's monitoring types ("monitoreres"): shown every year, without a target
MONITORING_GROUPS = ("overvaagning_chikane", "overvaagning_haervaerk", "overvaagning_narkotika",
                     "overvaagning_trusler")
COVERAGE_MART = "fct_datadaekning"


class ReportError(Exception):
    """The report cannot be built; the message is one line a user can act on."""


class NothingPublished(ReportError):
    pass


class NoDataForYear(ReportError):
    pass


def read_mart(marts_dir: Path, mart: str) -> pd.DataFrame:
    path = Path(marts_dir) / f"{mart}.parquet"
    if not path.exists():
        raise NothingPublished(f"no published mart {mart} in {marts_dir} (run `tryghed run` first)")
    return pq.read_table(path).to_pandas()


def years_with_data(marts_dir: Path) -> list[int]:
    """The status years a report can be written for: one per survey edition in the inbox (decision 14)."""
    goals = read_mart(marts_dir, GOAL_MART)
    return sorted(int(y) for y in goals["status_aar"].unique())


def latest_year(marts_dir: Path) -> int | None:
    """The newest status year: the newest survey edition in the inbox (indicators.md, decision 9).

    The status of year Y is presented in spring Y with survey edition Y; it holds police year Y−1 and the
    plan of Y−1, so a preliminary police delivery or next year's plan never moves the status year.
    """
    years = years_with_data(marts_dir)
    return years[-1] if years else None


@dataclass(frozen=True)
class Partnership:
    """The partnership a report is about, read from the release (dim_partnerskab, dim_omraade, the
    polygons): which areas the charts compare, their labels and colours, its period and baseline year. No
    partnership is named in code: a third one gets its report from its file alone."""

    kode: str
    navn: str  # e.g. "Amager Partnerskab"
    omraade_kode: str  # the current boundary
    aftale_fra: int
    aftale_til: int
    baseline_aar: int
    current_from: str | None  # the current boundary's first year, e.g. "2025"
    parts: tuple[str, ...]  # its parts' codes
    old_boundaries: tuple[tuple[str, str], ...]  # (code, "2013–2024") of earlier boundary versions
    districts: tuple[str, ...]  # the districts it lies in, largest share first
    labels: dict[str, str]  # code → the label the charts and the map use
    colours: dict[str, str]  # code → colour

    @property
    def chart_areas(self) -> tuple[str, ...]:
        """The areas the safety chart compares: the partnership, its parts, its districts, the city."""
        return (self.omraade_kode, *self.parts, *self.districts, MUNICIPALITY)

    @property
    def period(self) -> str:
        return f"{self.aftale_fra}–{self.aftale_til}"

    def part_name(self, code: str) -> str:
        """A part's own name, capitalised: "Oprindeligt område" for "Amager Partnerskab, oprindeligt område"."""
        label = self.labels[code].removeprefix("– ")
        return label[:1].upper() + label[1:]


@dataclass(frozen=True)
class Baseline:
    """The baseline the crime goals are judged against, as published in the mart baseline."""

    version: str | None
    frozen: bool
    year: int = 2024
    antal: dict[str, float] = field(default_factory=dict)  # group → count
    pr_1000: dict[str, float] = field(default_factory=dict)  # group → rate

    @property
    def label(self) -> str:
        if self.version is None:
            return f"Baseline {self.year} (mangler)"
        state = "fastfrosset" if self.frozen else "beregnet, endnu ikke fastfrosset"
        return f"Baseline {self.year} ({state})"


@dataclass
class ReportData:
    year: int
    partnership: Partnership
    marts_dir: Path
    goals: pd.DataFrame  # the partnership's rows of fct_maalopfyldelse for the year, in the agreement's order
    safety: pd.DataFrame  # fct_tryghed, kilde kk, nabolag/aften_nat, CHART_AREAS, years ≤ year
    safety_year: pd.DataFrame  # fct_tryghed, kilde kk, every area, the report year (for the suppression note)
    crime: pd.DataFrame  # fct_kriminalitet, borgervendt + focus groups, CHART_AREAS, years ≤ year
    baseline: Baseline
    activities: pd.DataFrame  # fct_aktiviteter, years ≤ year (total rows and per focus area)
    coverage: pd.DataFrame  # fct_datadaekning, every source and year (empty in releases from before it)
    monitoring: pd.DataFrame  # fct_kriminalitet, the partnership's monitoring groups, years ≤ year
    manifest: dict
    areas: dict | None  # omraader.geojson as parsed JSON, None in releases from before it was published
    area_names: dict[str, str]

    @property
    def thresholds(self) -> dict:
        """The thresholds the release was computed with (its manifest), so the report's words match its
        figures; a release from before they were recorded gets the documented defaults."""
        return {**Settings().thresholds(), **(self.manifest.get("taerskler") or {})}

    @property
    def collaboration_target(self) -> float:
        """Goal 3's share: the partnership's own collaboration goal, else the release's threshold."""
        target = self.goals[self.goals["maal_art"] == "samarbejde"]["maalvaerdi"].dropna()
        return float(target.iloc[0]) if len(target) else float(self.thresholds["maal_samarbejde"])


def partnership_codes(marts_dir: Path) -> list[str]:
    """The partnerships of the release, in code order (one report each)."""
    return sorted(read_mart(marts_dir, PARTNERSHIPS_MART)["partnerskab_kode"])


def _partnership(marts_dir: Path, code: str, dim: pd.DataFrame, areas: dict | None) -> Partnership:
    table = read_mart(marts_dir, PARTNERSHIPS_MART)
    row = table[table["partnerskab_kode"] == code]
    if row.empty:
        known = ", ".join(table["partnerskab_kode"])
        raise ReportError(f"no partnership {code} in {PARTNERSHIPS_MART} (known: {known})")
    p = row.iloc[0]
    own = dim[dim["partnerskab_kode"] == code]
    current = str(p["omraade_kode"])
    parts = tuple(own[own["niveau"] == "partnerskab_del"].sort_values("omraade_kode")["omraade_kode"])
    olds = own[(own["niveau"] == "partnerskab") & (own["omraade_kode"] != current)]
    names = dict(zip(dim["omraade_kode"], dim["navn"], strict=True))
    navn = str(p["navn"])

    def years(r) -> str:
        first = "" if pd.isna(r["gyldig_fra"]) else str(pd.Timestamp(r["gyldig_fra"]).year)
        last = "" if pd.isna(r["gyldig_til"]) else str(pd.Timestamp(r["gyldig_til"]).year)
        return f"{first}–{last}"

    start = own[own["omraade_kode"] == current]["gyldig_fra"]
    districts = _districts(areas, current)
    labels = {current: navn, MUNICIPALITY: "København"}
    labels |= {c: "– " + _without(names[c], navn) for c in parts}
    labels |= {c: names[c] for c in districts}
    colours = {current: PARTNERSHIP_COLOUR, MUNICIPALITY: MUNICIPALITY_COLOUR}
    colours |= {c: PART_COLOURS[i % len(PART_COLOURS)] for i, c in enumerate(parts)}
    colours |= {c: DISTRICT_COLOURS[i % len(DISTRICT_COLOURS)] for i, c in enumerate(districts)}
    return Partnership(
        kode=code, navn=navn, omraade_kode=current, aftale_fra=int(p["aftale_fra"]), aftale_til=int(p["aftale_til"]),
        baseline_aar=int(p["baseline_aar"]),
        current_from=None if start.empty or pd.isna(start.iloc[0]) else str(pd.Timestamp(start.iloc[0]).year),
        parts=parts, old_boundaries=tuple((r["omraade_kode"], years(r)) for _, r in olds.iterrows()),
        districts=districts, labels=labels, colours=colours,
    )


def _without(name: str, partnership: str) -> str:
    """A part's own words: "oprindeligt område" out of "Amager Partnerskab, oprindeligt område"."""
    rest = name.removeprefix(partnership).lstrip(" ,–-")
    return rest or name


def _districts(areas: dict | None, current: str) -> tuple[str, ...]:
    """The districts the partnership area lies in (more than 1 % of it), largest share first, from the
    release's polygons: which districts are its context is geography, not configuration."""
    if not areas:
        return ()
    from shapely.geometry import shape

    shapes = {f["properties"].get("omraade_kode"): (f["properties"], shape(f["geometry"]))
              for f in areas.get("features", []) if f.get("geometry")}
    if current not in shapes:
        return ()
    own = shapes[current][1]
    shares = [(own.intersection(g).area / own.area, code) for code, (props, g) in shapes.items()
              if props.get("niveau") == "bydel" and own.intersects(g)]
    return tuple(code for share, code in sorted(shares, key=lambda t: (-t[0], t[1])) if share > 0.01)


def load(marts_dir: Path, year: int, partnerskab: str | None = None) -> ReportData:
    """Everything the report for `year` and one partnership shows (default: the first of the release);
    raises NoDataForYear when the year has no goal values."""
    marts_dir = Path(marts_dir)
    codes = partnership_codes(marts_dir)
    code = partnerskab or (codes[0] if codes else None)
    if code is None:
        raise NothingPublished(f"no partnership in {marts_dir}")
    dim = read_mart(marts_dir, "dim_omraade")
    areas = _json(marts_dir / AREAS_FILE)
    partnership = _partnership(marts_dir, code, dim, areas)
    chart_areas = partnership.chart_areas
    goals_all = read_mart(marts_dir, GOAL_MART)
    goals_all = goals_all[goals_all["partnerskab_kode"] == code]
    available = years_with_data(marts_dir)
    if year not in available:
        span = f"{available[0]}–{available[-1]}" if available else "none"
        raise NoDataForYear(f"no status for {year} in {GOAL_MART} (status years, one per survey edition: {span})")
    goals = goals_all[goals_all["status_aar"] == year].sort_values(["sortering", "maal_id"]).reset_index(drop=True)

    safety_all = read_mart(marts_dir, "fct_tryghed")
    kk = safety_all[(safety_all["kilde"] == "kk") & safety_all["maal"].isin(SAFETY_MEASURES)]
    safety = kk[kk["omraade_kode"].isin(chart_areas) & (kk["aar"] <= year)].sort_values(["omraade_kode", "aar"])
    safety_year = kk[kk["aar"] == year]

    crime_all = read_mart(marts_dir, "fct_kriminalitet")
    crime = crime_all[
        crime_all["gruppe"].isin((CRIME_TOTAL, *FOCUS_GROUPS))
        & crime_all["omraade_kode"].isin(chart_areas)
        & (crime_all["aar"] <= year)
    ].sort_values(["omraade_kode", "gruppe", "aar"])

    monitoring = crime_all[
        crime_all["gruppe"].isin(MONITORING_GROUPS)
        & (crime_all["omraade_kode"] == partnership.omraade_kode)
        & (crime_all["aar"] <= year)
    ].sort_values(["gruppe", "aar"])
    coverage_path = marts_dir / f"{COVERAGE_MART}.parquet"
    coverage = read_mart(marts_dir, COVERAGE_MART) if coverage_path.exists() else pd.DataFrame(
        columns=["kilde", "aar", "status"])

    activities = read_mart(marts_dir, "fct_aktiviteter")
    activities = activities[(activities["aar"] <= year) & (activities["partnerskab_kode"] == code)]
    activities = activities.sort_values(["aar", "indsatsomraade"])

    return ReportData(
        year=year,
        partnership=partnership,
        marts_dir=marts_dir,
        goals=goals,
        safety=safety.reset_index(drop=True),
        safety_year=safety_year.reset_index(drop=True),
        crime=crime.reset_index(drop=True),
        baseline=_baseline(read_mart(marts_dir, "baseline"), goals, partnership),
        activities=activities.reset_index(drop=True),
        coverage=coverage.sort_values(["kilde", "aar"]).reset_index(drop=True),
        monitoring=monitoring.reset_index(drop=True),
        manifest=_json(marts_dir / MANIFEST) or {},
        areas=areas,
        area_names=dict(zip(dim["omraade_kode"], dim["navn"], strict=True)),
    )


def _baseline(table: pd.DataFrame, goals: pd.DataFrame, partnership: Partnership) -> Baseline:
    """Pick the baseline version the goals were judged against.

    fct_maalopfyldelse names the frozen version it used; without one, the goals use the computed version
    (the one row set with fastfrosset false). Picking it this way keeps the chart's line and the table's
    target the same number.
    """
    table = table[table["partnerskab_kode"] == partnership.kode]
    used = goals["baseline_version"].dropna() if "baseline_version" in goals else pd.Series(dtype=object)
    if len(used):
        rows = table[table["version"] == used.iloc[0]]
    else:
        rows = table[~table["fastfrosset"].fillna(False).astype(bool)]
        if rows.empty and not table.empty:  # computed equals a frozen version: the latest computation
            rows = table[table["beregnet"] == table["beregnet"].max()]
    if rows.empty:
        return Baseline(version=None, frozen=False, year=partnership.baseline_aar)
    groups = rows["gruppe"]
    return Baseline(
        version=str(rows["version"].iloc[0]),
        frozen=bool(rows["fastfrosset"].fillna(False).astype(bool).all()),
        year=partnership.baseline_aar,
        antal=dict(zip(groups, rows["baseline_antal"].astype(float), strict=True)),
        pr_1000=dict(zip(groups, rows["baseline_pr_1000"].astype(float), strict=True)),
    )


def _json(path: Path):
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
