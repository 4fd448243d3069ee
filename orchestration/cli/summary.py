"""The run's summary for the data team, from the published release only (manifest and marts).

Danish, like the marts: the police revisions and the goal table.
"""

from __future__ import annotations

from assets.publish.release import read_manifest
from assets.publish.revisions import summarise
from orchestration.goal_table import as_text, latest_goals


def revision_summary(settings, previous_files: set[str], years: tuple[int, int]) -> str:
    """How many reports later police deliveries changed, per year; and which of them this run brought.

    The counts are the ones the run just wrote into the published manifest, not recounted.
    """
    return summarise(read_manifest(settings.marts_dir), previous_files, years)


def goal_table(settings) -> str:
    """The status of the newest status year, one table per partnership (orchestration/goal_table.py), then
    the sources' coverage, naming preliminary years and gaps (decisions 10, 11)."""
    import duckdb

    table = as_text(latest_goals(settings.marts_dir))
    con = duckdb.connect()
    try:
        coverage = _coverage_lines(con, settings.marts_dir / "fct_datadaekning.parquet")
    finally:
        con.close()
    return "\n".join([table, *coverage])


def _coverage_lines(con, path) -> list[str]:
    """One line per source: its years, with the preliminary years and the gaps named."""
    if not path.exists():
        return []
    rows = con.execute(
        f"""select kilde, min(aar), max(aar),
                   string_agg(aar::varchar, ', ' order by aar) filter (where status = 'foreloebig'),
                   -- the national survey is not yearly: its missing years are no gap
                   string_agg(aar::varchar, ', ' order by aar)
                       filter (where status = 'mangler' and kilde <> 'tryghed_jm')
            from read_parquet('{path}') group by kilde order by kilde"""
    ).fetchall()
    lines = ["", "Datadækning (fct_datadaekning)"]
    for kilde, first, last, prelim, gaps in rows:
        text = f"  {kilde:<22} {first}–{last}"
        if prelim:
            text += f"; foreløbig: {prelim}"
        if gaps:
            text += f"; ingen levering: {gaps} (tomt, ikke nul)"
        lines.append(text)
    return lines
