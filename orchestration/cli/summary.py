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
    """The status of the newest status year, one table per partnership, from the published marts (what the
    Finance Committee sees).

    The newest status year is the newest survey edition in the inbox (decision 9): it judges the survey of
    that year and the police year and plan before it, so a preliminary police delivery or next year's plan
    never moves it. Below the tables, the sources' coverage, naming preliminary years and gaps (decisions 10,
    11).
    """
    import duckdb

    path = settings.marts_dir / "fct_maalopfyldelse.parquet"
    con = duckdb.connect()
    rows = con.execute(
        f"""select partnerskab_kode, status_aar, maal_id, maalingsaar, vaerdi, maalvaerdi, enhed, opfyldt,
                   begrundelse
            from read_parquet('{path}')
            where status_aar = (select max(status_aar) from read_parquet('{path}'))
            order by partnerskab_kode, sortering, maal_id"""
    ).fetchall()
    names = dict(con.execute(
        f"""select partnerskab_kode, any_value(navn) from read_parquet('{settings.marts_dir / "dim_omraade.parquet"}')
            where niveau = 'partnerskab' and gyldig_til is null group by all""").fetchall())
    coverage = _coverage_lines(con, settings.marts_dir / "fct_datadaekning.parquet")
    con.close()
    if not rows:
        return "Målopfyldelse: ingen data (ingen udgave af tryghedsundersøgelsen i indbakken)"
    lines: list[str] = []
    for code in dict.fromkeys(r[0] for r in rows):
        mine = [r for r in rows if r[0] == code]
        if lines:
            lines.append("")
        lines += [f"Målopfyldelse {code} ({names.get(code, code)}), status {mine[0][1]} (fct_maalopfyldelse)",
                  f"{'mål':<4} {'målt':<5} {'værdi':>9} {'mål':>9}  {'opfyldt':<13} begrundelse"]
        for _p, _aar, maal_id, maalingsaar, vaerdi, maalvaerdi, enhed, opfyldt, begrundelse in mine:
            status = {True: "ja", False: "nej"}.get(opfyldt, "ikke vurderet" if vaerdi is not None else "ingen data")
            lines.append(
                f"{maal_id:<4} {maalingsaar:<5} {fmt.by_unit(vaerdi, enhed):>9} {fmt.by_unit(maalvaerdi, enhed):>9}  "
                f"{status:<13} {begrundelse or ''}"
            )
    return "\n".join(lines + coverage)


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
