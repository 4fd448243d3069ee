"""The run's summary for the data team, from the published release only (manifest and marts).

Danish, like the marts: the police revisions and the goal table.
"""

from __future__ import annotations

from assets.foundation import formatting as fmt
from assets.publish.release import read_manifest
from assets.publish.revisions import summarise


def revision_summary(settings, previous_files: set[str], years: tuple[int, int]) -> str:
    """How many reports later police deliveries changed, per year; and which of them this run brought.

    The counts are the ones the run just wrote into the published manifest, not recounted.
    """
    return summarise(read_manifest(settings.marts_dir), previous_files, years)


def goal_table(settings) -> str:
    """The goal status of the latest year, from the published mart (what the Finance Committee sees)."""
    import duckdb

    path = settings.marts_dir / "fct_maalopfyldelse.parquet"
    con = duckdb.connect()
    rows = con.execute(
        f"""select aar, maal_id, beskrivelse, vaerdi, maalvaerdi, enhed, opfyldt, tendens
            from read_parquet('{path}')
            -- the latest year with safety or crime figures: the plan for the coming year may already
            -- be in the inbox, but the status is about the year the survey and the police data cover
            where aar = (select coalesce(max(aar) filter (where maal_id similar to '[12].*'), max(aar))
                         from read_parquet('{path}') where vaerdi is not null)
            order by maal_id"""
    ).fetchall()
    con.close()
    if not rows:
        return "Målopfyldelse: no data"
    lines = [f"Målopfyldelse {rows[0][0]} (fct_maalopfyldelse)",
             f"{'mål':<4} {'værdi':>9} {'mål':>9}  {'opfyldt':<8} {'tendens':<10} beskrivelse"]
    for _aar, maal_id, beskrivelse, vaerdi, maalvaerdi, enhed, opfyldt, tendens in rows:
        status = {True: "ja", False: "nej", None: "ingen data"}[opfyldt]
        lines.append(
            f"{maal_id:<4} {fmt.by_unit(vaerdi, enhed):>9} {fmt.by_unit(maalvaerdi, enhed):>9}  {status:<8} "
            f"{(tendens or ''):<10} {beskrivelse}"
        )
    return "\n".join(lines)
