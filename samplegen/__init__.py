"""Deterministic sample inbox: every extract of the input contract (extracts.md), made to look like the city.

`generate()` writes one folder per source. The same seed gives byte-identical files (no timestamps, stable
order, gzip and xlsx with pinned times), so the committed sample in data/sample only changes when the
generator does. Real geometry (districts, Urbanplanen, the city's rode layer) comes from samplegen/data;
everything else is drawn from seeded sub-streams, one per source and year. Two partnerships: Amager
(geography.py and the rest) and Tingbjerg-Husum (tingbjerg.py, which only adds to the sample).
"""

from __future__ import annotations

from pathlib import Path

from . import activities, context, geography, police, population, survey, tingbjerg

SOURCES = ("geo", "survey_kk", "survey_kk_published", "survey_jm", "police", "dst", "kk_befolkning",
           "befolkning_kvadratnet", "lbf", "aktiviteter")
DATA = Path(__file__).parent / "data"


def _clean(folder: Path) -> Path:
    """A rerun with other years must not leave stale files behind in the source folders it owns."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in folder.iterdir():
        if f.is_file():
            f.unlink()
    return folder


def generate(out: Path, seed: int = 2025, years: tuple[int, int] = (2014, 2026),
             scale: float = 1.0, respondents: int | None = None, gz: bool | None = None) -> dict[str, int]:
    """Write the sample inbox; returns the number of data rows written per source folder.

    `scale` multiplies the police reports (and, unless `respondents` is given, the survey's ~3,300
    respondents a year). `respondents` sets the survey's size a year on its own, e.g. a national-size inbox:
    `scale=33, respondents=20_000` over 2007-2026 gives ~10 million reports. `gz` gzips the police files;
    by default only up to scale 1 (the committed sample), since gzip -9 of a gigabyte takes minutes and real
    deliveries are plain CSV.
    """
    out = Path(out)
    gz = scale <= 1 if gz is None else gz
    survey_scale = scale if respondents is None else respondents / survey.RESPONDENTS
    yrs = range(years[0], years[1] + 1)
    d = {s: _clean(out / s) for s in SOURCES}
    n: dict[str, int] = {}

    n["geo"] = geography.write_geo(d["geo"]) + tingbjerg.write_rode(d["geo"])

    grid = population.build_grid(seed, tuple(yrs))
    n["kk_befolkning"] = population.write_kk_befolkning(d["kk_befolkning"], yrs, seed)
    n["befolkning_kvadratnet"], _ = population.write_grid(d["befolkning_kvadratnet"], grid, seed,
                                                          extra=tingbjerg.build_grid(seed, tuple(yrs)))

    samples = {y: survey.draw(seed, y, grid, survey_scale) for y in yrs}
    n["survey_kk"] = sum(survey.write_survey(d["survey_kk"], s) for s in samples.values())
    n["survey_kk_published"] = survey.write_published(d["survey_kk_published"], samples, seed)
    n["survey_jm"] = survey.write_jm(d["survey_jm"])

    n["police"], _ = police.write_police(d["police"], seed, yrs, grid, scale, gz=gz)

    n["dst"] = context.write_straf11(d["dst"], yrs, seed) + context.write_folk1a(d["dst"], yrs)
    n["lbf"] = context.write_lbf(d["lbf"], yrs, seed, others=tingbjerg.departments())
    n["aktiviteter"], _ = activities.write_activities(d["aktiviteter"], yrs, seed)
    n["aktiviteter"] += tingbjerg.write_activities(d["aktiviteter"], activities.plan_years(yrs), seed)
    return n
