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

# The areas the safety chart compares: the partnership, its two parts, the two districts, the city.
CHART_AREAS = ("AP", "AP_DEL_OPR", "AP_DEL_UDV", "BY10", "BY09", "101")
PARTNERSHIP = "AP"
SAFETY_MEASURES = ("nabolag", "aften_nat")
CRIME_TOTAL = "borgervendt_i_alt"
FOCUS_GROUPS = ("fokus_indbrud", "fokus_tyveri_roeveri", "fokus_vold_vaaben")
# the agreement's monitoring types ("monitoreres"): shown every year, without a target
MONITORING_GROUPS = ("overvaagning_chikane", "overvaagning_haervaerk", "overvaagning_narkotika",
                     "overvaagning_trusler")
COVERAGE_MART = "fct_datadaekning"
# baseline_2024 names its rows as the agreement does (indicators.md); fct_kriminalitet names groups.
BASELINE_GROUPS = {
    "Antal anmeldelser af borgervendt kriminalitet": CRIME_TOTAL,
    "Indbrud": "fokus_indbrud",
    "Tyveri/Røveri": "fokus_tyveri_roeveri",
    "Vold/Våben": "fokus_vold_vaaben",
}


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
class Baseline:
    """The 2024 baseline that goals 2a–2d are judged against, as published in baseline_2024."""

    version: str | None
    frozen: bool
    antal: dict[str, float] = field(default_factory=dict)  # group → count
    pr_1000: dict[str, float] = field(default_factory=dict)  # group → rate

    @property
    def label(self) -> str:
        if self.version is None:
            return "Baseline 2024 (mangler)"
        state = "fastfrosset" if self.frozen else "beregnet, endnu ikke fastfrosset"
        return f"Baseline 2024 ({state})"


@dataclass
class ReportData:
    year: int
    marts_dir: Path
    goals: pd.DataFrame  # the year's rows of fct_maalopfyldelse, in the agreement's order
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


def load(marts_dir: Path, year: int) -> ReportData:
    """Everything the report for `year` shows; raises NoDataForYear when the year has no goal values."""
    marts_dir = Path(marts_dir)
    goals_all = read_mart(marts_dir, GOAL_MART)
    available = years_with_data(marts_dir)
    if year not in available:
        span = f"{available[0]}–{available[-1]}" if available else "none"
        raise NoDataForYear(f"no status for {year} in {GOAL_MART} (status years, one per survey edition: {span})")
    goals = goals_all[goals_all["status_aar"] == year].sort_values(["sortering", "maal_id"]).reset_index(drop=True)

    safety_all = read_mart(marts_dir, "fct_tryghed")
    kk = safety_all[(safety_all["kilde"] == "kk") & safety_all["maal"].isin(SAFETY_MEASURES)]
    safety = kk[kk["omraade_kode"].isin(CHART_AREAS) & (kk["aar"] <= year)].sort_values(["omraade_kode", "aar"])
    safety_year = kk[kk["aar"] == year]

    crime_all = read_mart(marts_dir, "fct_kriminalitet")
    crime = crime_all[
        crime_all["gruppe"].isin((CRIME_TOTAL, *FOCUS_GROUPS))
        & crime_all["omraade_kode"].isin(CHART_AREAS)
        & (crime_all["aar"] <= year)
    ].sort_values(["omraade_kode", "gruppe", "aar"])

    monitoring = crime_all[
        crime_all["gruppe"].isin(MONITORING_GROUPS)
        & (crime_all["omraade_kode"] == PARTNERSHIP)
        & (crime_all["aar"] <= year)
    ].sort_values(["gruppe", "aar"])
    coverage_path = marts_dir / f"{COVERAGE_MART}.parquet"
    coverage = read_mart(marts_dir, COVERAGE_MART) if coverage_path.exists() else pd.DataFrame(
        columns=["kilde", "aar", "status"])

    activities = read_mart(marts_dir, "fct_aktiviteter")
    activities = activities[activities["aar"] <= year].sort_values(["aar", "indsatsomraade"])

    dim = read_mart(marts_dir, "dim_omraade")
    return ReportData(
        year=year,
        marts_dir=marts_dir,
        goals=goals,
        safety=safety.reset_index(drop=True),
        safety_year=safety_year.reset_index(drop=True),
        crime=crime.reset_index(drop=True),
        baseline=_baseline(read_mart(marts_dir, "baseline_2024"), goals),
        activities=activities.reset_index(drop=True),
        coverage=coverage.sort_values(["kilde", "aar"]).reset_index(drop=True),
        monitoring=monitoring.reset_index(drop=True),
        manifest=_json(marts_dir / MANIFEST) or {},
        areas=_json(marts_dir / AREAS_FILE),
        area_names=dict(zip(dim["omraade_kode"], dim["navn"], strict=True)),
    )


def _baseline(table: pd.DataFrame, goals: pd.DataFrame) -> Baseline:
    """Pick the baseline version the goals were judged against.

    fct_maalopfyldelse names the frozen version it used; without one, the goals use the computed version
    (the one row set with fastfrosset false). Picking it this way keeps the chart's line and the table's
    target the same number.
    """
    table = table[table["omraade_kode"] == PARTNERSHIP]
    used = goals["baseline_version"].dropna() if "baseline_version" in goals else pd.Series(dtype=object)
    if len(used):
        rows = table[table["version"] == used.iloc[0]]
    else:
        rows = table[~table["fastfrosset"].fillna(False).astype(bool)]
        if rows.empty and not table.empty:  # computed equals a frozen version: the latest computation
            rows = table[table["beregnet"] == table["beregnet"].max()]
    if rows.empty:
        return Baseline(version=None, frozen=False)
    groups = rows["gerningstype"].map(BASELINE_GROUPS)
    return Baseline(
        version=str(rows["version"].iloc[0]),
        frozen=bool(rows["fastfrosset"].fillna(False).astype(bool).all()),
        antal=dict(zip(groups, rows["baseline_antal"].astype(float), strict=True)),
        pr_1000=dict(zip(groups, rows["baseline_pr_1000"].astype(float), strict=True)),
    )


def _json(path: Path):
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
