"""The goal table of the latest year, from the published mart `fct_maalopfyldelse`: as rows, as the run
summary's text and as Markdown (the `publicerede_marts` materialization's metadata in the Dagster UI)."""

from __future__ import annotations

from pathlib import Path

from assets.foundation import formatting as fmt

STATUS = {True: "ja", False: "nej", None: "ingen data"}


def latest_goals(marts_dir: Path) -> list[tuple]:
    """(aar, maal_id, beskrivelse, vaerdi, maalvaerdi, enhed, opfyldt, tendens) of the latest year."""
    import duckdb

    path = Path(marts_dir) / "fct_maalopfyldelse.parquet"
    if not path.exists():
        return []
    con = duckdb.connect()
    try:
        return con.execute(
            f"""select aar, maal_id, beskrivelse, vaerdi, maalvaerdi, enhed, opfyldt, tendens
                from read_parquet('{path}')
                -- the latest year with safety or crime figures: the plan for the coming year may already
                -- be in the inbox, but the status is about the year the survey and the police data cover
                where aar = (select coalesce(max(aar) filter (where maal_id similar to '[12].*'), max(aar))
                             from read_parquet('{path}') where vaerdi is not null)
                order by maal_id"""
        ).fetchall()
    finally:
        con.close()


def as_text(rows: list[tuple]) -> str:
    if not rows:
        return "Målopfyldelse: ingen data"
    lines = [f"Målopfyldelse {rows[0][0]} (fct_maalopfyldelse)",
             f"{'mål':<4} {'værdi':>9} {'mål':>9}  {'opfyldt':<8} {'tendens':<10} beskrivelse"]
    for _aar, maal_id, beskrivelse, vaerdi, maalvaerdi, enhed, opfyldt, tendens in rows:
        lines.append(
            f"{maal_id:<4} {fmt.by_unit(vaerdi, enhed):>9} {fmt.by_unit(maalvaerdi, enhed):>9}  "
            f"{STATUS[opfyldt]:<8} {(tendens or ''):<10} {beskrivelse}"
        )
    return "\n".join(lines)


def as_markdown(rows: list[tuple]) -> str:
    if not rows:
        return "Ingen målopfyldelse at vise (fct_maalopfyldelse har ingen tal)."
    lines = [f"**Målopfyldelse {rows[0][0]}**", "",
             "| mål | værdi | målværdi | opfyldt | tendens | beskrivelse |", "|---|---:|---:|---|---|---|"]
    for _aar, maal_id, beskrivelse, vaerdi, maalvaerdi, enhed, opfyldt, tendens in rows:
        cells = [maal_id, fmt.by_unit(vaerdi, enhed), fmt.by_unit(maalvaerdi, enhed), STATUS[opfyldt],
                 tendens or "", (beskrivelse or "").replace("|", "/")]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)
