"""The configured partnerships as tables: their areas built from the city's layers, and what dbt joins on.

Each partnership's file (assets/foundation/partnerships.py) defines its areas by reference (features of
geo/omraader.geojson, roder of geo/rode.geojson, or its own housing areas); this step resolves them against
the loaded geo tables and builds each area's polygon with DuckDB spatial (a union where there are several
pieces; a single feature is taken as it is, so an area read from omraader.geojson keeps its exact polygon).
What only the geo files can tell is checked here, with the partnership file and key in the message: an
unknown area code or rode, an attribute value no rode has, parts that overlap.

The tables go to the schema `partnerskaber` of the working database, rebuilt whole on every run (they are
small): `partnerskaber` (one row each), `omraader` (their areas with polygons), `maal`, `partnere`,
`lbf_afdelinger`, `jm_boligomraader`. dbt reads them as the source `partnerskaber`.
"""

from __future__ import annotations

import duckdb

from assets.foundation.partnerships import Area, Partnership, file_label
from assets.foundation.settings import ConfigError

SCHEMA = "partnerskaber"
OVERLAP_M2 = 1.0  # parts may touch; an intersection larger than this is an overlap

TABLES = {
    "partnerskaber": """partnerskab_kode VARCHAR, navn VARCHAR, omraade_kode VARCHAR, aftale_fra INTEGER,
        aftale_til INTEGER, baseline_aar INTEGER, budget_kr DOUBLE, standard BOOLEAN, kildefil VARCHAR""",
    "omraader": """partnerskab_kode VARCHAR, omraade_kode VARCHAR, navn VARCHAR, niveau VARCHAR,
        overordnet_kode VARCHAR, gyldig_fra DATE, gyldig_til DATE, definition VARCHAR, geometri_wkt VARCHAR,
        kildefil VARCHAR, noegle VARCHAR""",
    "maal": """partnerskab_kode VARCHAR, maal_id VARCHAR, art VARCHAR, beskrivelse VARCHAR, enhed VARCHAR,
        kilde VARCHAR, sortering INTEGER, maaling VARCHAR, gruppe VARCHAR, maal_enhed VARCHAR,
        gerningstype VARCHAR, taerskel DOUBLE""",
    "partnere": "partnerskab_kode VARCHAR, alias VARCHAR, partner VARCHAR, partnertype VARCHAR",
    "lbf_afdelinger": "partnerskab_kode VARCHAR, boligorganisation VARCHAR, afdelingsnr VARCHAR, omraade_kode VARCHAR",
    "jm_boligomraader": "partnerskab_kode VARCHAR, boligomraade VARCHAR, omraade_kode VARCHAR",
}


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {SCHEMA}")
    for name, columns in TABLES.items():
        con.execute(f"create or replace table {SCHEMA}.{name} ({columns})")


def _label(p: Partnership) -> str:
    return file_label(p.fil)


def _fail(p: Partnership, key: str, message: str):
    raise ConfigError(f"{_label(p)}: key '{key}': {message}")


def _describe(area: Area) -> str:
    if area.kilde == "rode_attribut":
        (attribute, values), = area.vaerdier
        return f"roder med {attribute} = {' | '.join(values)}"
    names = {"geo": "geo/omraader.geojson", "roder": "roder", "boligomraader": "boligområder"}
    return f"{names[area.kilde]}: {', '.join(str(v) for v in area.vaerdier)}"


def _pieces(con, p: Partnership, area: Area, built: dict[str, str]) -> list[str]:
    """The WKT polygons the area is made of (in EPSG:25832), or a ConfigError naming file and key."""
    key = f"{area.key}.{area.kilde}"
    if area.kilde == "geo":
        rows = dict(con.execute("""select upper(trim(omraade_kode)), any_value(geometri_wkt) from raw.geo_omraader
            where upper(trim(omraade_kode)) in (select unnest(?::VARCHAR[])) group by all""",
                                [list(area.vaerdier)]).fetchall())
        missing = [c for c in area.vaerdier if c not in rows]
        if missing:
            _fail(p, key, f"no feature with omraade_kode {', '.join(missing)} in geo/omraader.geojson")
        return [rows[c] for c in area.vaerdier]
    if area.kilde == "roder":
        rows = dict(con.execute("""select rode_nr, geometri_wkt from raw.geo_roder
            where rode_nr in (select unnest(?::INTEGER[]))""", [list(area.vaerdier)]).fetchall())
        missing = [str(n) for n in area.vaerdier if n not in rows]
        if missing:
            _fail(p, key, f"unknown rode {', '.join(missing)} (not in geo/rode.geojson)")
        return [rows[n] for n in area.vaerdier]
    if area.kilde == "rode_attribut":
        (attribute, values), = area.vaerdier
        rows = con.execute(f"""select geometri_wkt from raw.geo_roder
            where trim({attribute}) in (select unnest(?::VARCHAR[])) order by rode_nr""", [list(values)]).fetchall()
        if not rows:
            _fail(p, f"{key}.{attribute}", f"no rode in geo/rode.geojson has {attribute} {' or '.join(values)}")
        return [r[0] for r in rows]
    missing = [c for c in area.vaerdier if c not in built]
    if missing:
        _fail(p, key, f"not housing areas of this partnership: {', '.join(missing)}")
    return [built[c] for c in area.vaerdier]


def _union(con, pieces: list[str]) -> str:
    if len(pieces) == 1:
        return pieces[0]
    return con.execute("""select st_astext(st_union_agg(st_geomfromtext(w)))
        from (select unnest(?::VARCHAR[]) as w)""", [pieces]).fetchone()[0]


def _check_parts(con, p: Partnership, built: dict[str, str]) -> None:
    """Parts are pieces of one area: two that overlap would count the same reports twice in the parts."""
    for i, a in enumerate(p.dele):
        for b in p.dele[i + 1:]:
            overlap = con.execute("""select st_area(st_intersection(st_geomfromtext(?), st_geomfromtext(?)))""",
                                  [built[a.kode], built[b.kode]]).fetchone()[0]
            if overlap > OVERLAP_M2:
                _fail(p, f"{b.key}", f"part {b.kode} overlaps part {a.kode} ({a.key}) by {overlap:,.0f} m²")


def build_partnerships(con: duckdb.DuckDBPyConnection, partnerships: tuple[Partnership, ...]) -> dict[str, int]:
    """Fill the schema `partnerskaber` from the configured partnerships (raw.geo_* must be loaded)."""
    create_tables(con)
    taken = {r[0] for r in con.execute("""select upper(trim(omraade_kode)) from raw.geo_omraader
        where lower(trim(niveau)) in ('kommune', 'bydel')""").fetchall()}
    areas = 0
    for p in partnerships:
        built: dict[str, str] = {}
        for area in p.areas:
            if area.kode in taken:
                _fail(p, f"{area.key}.kode", f"{area.kode} is a municipality or district code of the geo files")
            built[area.kode] = _union(con, _pieces(con, p, area, built))
        _check_parts(con, p, built)
        # a single housing area the national survey names is that housing area, not a second copy of it
        rows = [(p.kode, a.kode, a.navn, a.niveau, a.overordnet_kode, a.gyldig_fra, a.gyldig_til, _describe(a),
                 built[a.kode], _label(p), a.key)
                for a in (*p.graenser, *p.dele, *p.boligomraader, *p.landsundersoegelse)
                if not (a in p.landsundersoegelse and len(a.vaerdier) == 1)]
        con.executemany(f"insert into {SCHEMA}.omraader values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        areas += len(rows)
        con.execute(f"insert into {SCHEMA}.partnerskaber values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [p.kode, p.navn, p.omraade_kode, p.aftale_fra, p.aftale_til, p.baseline_aar, p.budget_kr,
                     p.standard, _label(p)])
        con.executemany(f"insert into {SCHEMA}.maal values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [(p.kode, g.maal_id, g.art, g.beskrivelse, g.enhed, g.kilde, g.sortering, g.maaling, g.gruppe,
                          g.enhed_maal, g.gerningstype, g.taerskel) for g in p.maal])
        con.executemany(f"insert into {SCHEMA}.partnere values (?, ?, ?, ?)",
                        [(p.kode, name, party.navn, party.partnertype)
                         for party in p.parter for name in (party.navn, *party.aliaser)])
        if p.lbf_afdelinger:
            con.executemany(f"insert into {SCHEMA}.lbf_afdelinger values (?, ?, ?, ?)",
                            [(p.kode, *dep) for dep in p.lbf_afdelinger])
        if p.landsundersoegelse:
            con.executemany(f"insert into {SCHEMA}.jm_boligomraader values (?, ?, ?)",
                            [(p.kode, a.navn, a.kode) for a in p.landsundersoegelse])
    return {"partnerskaber": len(partnerships), "omraader": areas}
