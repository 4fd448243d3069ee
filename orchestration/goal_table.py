"""The goal table of the newest status year, one per partnership, from the published marts: as rows, as the
run summary's text and as Markdown (the `publicerede_marts` materialization's metadata in the Dagster UI).

The newest status year is the newest survey edition in the inbox (decision 9): it judges the survey of that
year and the police year and plan before it, so a preliminary police delivery or next year's plan never
moves it.
"""

from __future__ import annotations

from pathlib import Path

from assets.foundation import formatting as fmt


def latest_goals(marts_dir: Path) -> list[tuple]:
    """(partnerskab_kode, navn, status_aar, maal_id, maalingsaar, vaerdi, maalvaerdi, enhed, opfyldt,
    begrundelse, beskrivelse) of the newest status year, by partnership and goal."""
    import duckdb

    path = Path(marts_dir) / "fct_maalopfyldelse.parquet"
    areas = Path(marts_dir) / "dim_omraade.parquet"
    if not path.exists():
        return []
    con = duckdb.connect()
    try:
        names = dict(con.execute(
            f"""select partnerskab_kode, any_value(navn) from read_parquet('{areas}')
                where niveau = 'partnerskab' and gyldig_til is null group by all""").fetchall()) \
            if areas.exists() else {}
        rows = con.execute(
            f"""select partnerskab_kode, status_aar, maal_id, maalingsaar, vaerdi, maalvaerdi, enhed, opfyldt,
                       begrundelse, beskrivelse
                from read_parquet('{path}')
                where status_aar = (select max(status_aar) from read_parquet('{path}'))
                order by partnerskab_kode, sortering, maal_id"""
        ).fetchall()
    finally:
        con.close()
    return [(r[0], names.get(r[0], r[0]), *r[1:]) for r in rows]


def _status(opfyldt, vaerdi) -> str:
    return {True: "ja", False: "nej"}.get(opfyldt, "ikke vurderet" if vaerdi is not None else "ingen data")


def _by_partnership(rows: list[tuple]) -> dict[str, list[tuple]]:
    grouped: dict[str, list[tuple]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    return grouped


def as_text(rows: list[tuple]) -> str:
    if not rows:
        return "Målopfyldelse: ingen data (ingen udgave af tryghedsundersøgelsen i indbakken)"
    lines: list[str] = []
    for code, mine in _by_partnership(rows).items():
        if lines:
            lines.append("")
        lines += [f"Målopfyldelse {code} ({mine[0][1]}), status {mine[0][2]} (fct_maalopfyldelse)",
                  f"{'mål':<4} {'målt':<5} {'værdi':>9} {'mål':>9}  {'opfyldt':<13} begrundelse"]
        for _k, _n, _aar, maal_id, maalingsaar, vaerdi, maalvaerdi, enhed, opfyldt, begrundelse, _b in mine:
            lines.append(
                f"{maal_id:<4} {maalingsaar:<5} {fmt.by_unit(vaerdi, enhed):>9} {fmt.by_unit(maalvaerdi, enhed):>9}  "
                f"{_status(opfyldt, vaerdi):<13} {begrundelse or ''}"
            )
    return "\n".join(lines)


def as_markdown(rows: list[tuple]) -> str:
    if not rows:
        return "Ingen målopfyldelse at vise (fct_maalopfyldelse har ingen statusår)."
    lines: list[str] = []
    for code, mine in _by_partnership(rows).items():
        lines += [f"**Målopfyldelse {code} ({mine[0][1]}), status {mine[0][2]}**", "",
                  "| mål | målt | værdi | målværdi | opfyldt | begrundelse | beskrivelse |",
                  "|---|---|---:|---:|---|---|---|"]
        for _k, _n, _aar, maal_id, maalingsaar, vaerdi, maalvaerdi, enhed, opfyldt, begrundelse, beskr in mine:
            cells = [maal_id, maalingsaar, fmt.by_unit(vaerdi, enhed), fmt.by_unit(maalvaerdi, enhed),
                     _status(opfyldt, vaerdi), (begrundelse or "").replace("|", "/"), (beskr or "").replace("|", "/")]
            lines.append("| " + " | ".join(str(c) for c in cells) + " |")
        lines.append("")
    return "\n".join(lines).rstrip()
