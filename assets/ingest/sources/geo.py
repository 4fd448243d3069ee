"""The areas: geo/*.geojson, reprojected to EPSG:25832 on load.

Two kinds of file are read: the contract's `omraader.geojson` (every level, our area codes) and the city's
own WFS district layer (`k101:bydel`, properties `bydel_nr`, `navn`), which becomes districts `BY01`…`BY10`
(the city's rode layer beside them, `rode.geojson`, is a source of its own: sources/roder.py).
The coordinate system comes from the file's `crs` member; without one it is WGS84 lon/lat (RFC 7946).
Geometry work (parsing, validity, reprojection) is DuckDB spatial's, as everywhere in the pipeline.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from assets.ingest.contract import ContractError, LoadContext
from assets.ingest.geojson import polygon_geometry, read_collection, to_target_sql
from assets.ingest.loading import Source
from assets.ingest.raw_schema import GEO_OMRAADER, LINEAGE_COLUMNS
from assets.ingest.rules import KBH_BBOX

LEVELS = ("kommune", "bydel", "partnerskab", "partnerskab_del", "boligomraade")


def _date(value, rel: str, number: int, column: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ContractError(rel, f"value {value!r} is not a date (YYYY-MM-DD)", line=number,
                            column=column) from None


def _area_properties(props: dict, rel: str, number: int) -> dict:
    """The contract's properties, or the city's district layer mapped onto them."""
    props = {str(k).lower(): v for k, v in props.items()}
    if "omraade_kode" not in props and "bydel_nr" in props:
        nr = int(props["bydel_nr"])
        return {"omraade_kode": f"BY{nr:02d}", "navn": str(props.get("navn", "")).strip(), "niveau": "bydel",
                "overordnet_kode": "101", "gyldig_fra": None, "gyldig_til": None, "bydel_nr": nr}
    for required in ("omraade_kode", "navn", "niveau"):
        if props.get(required) in (None, ""):
            raise ContractError(rel, "required property is missing", line=number, column=required)
    if props["niveau"] not in LEVELS:
        raise ContractError(rel, f"niveau {props['niveau']!r} is not one of {', '.join(LEVELS)}",
                            line=number, column="niveau")
    bydel_nr = props.get("bydel_nr")
    return {
        "omraade_kode": str(props["omraade_kode"]).strip(),
        "navn": str(props["navn"]).strip(),
        "niveau": props["niveau"],
        "overordnet_kode": (str(props["overordnet_kode"]).strip() or None)
        if props.get("overordnet_kode") is not None else None,
        "gyldig_fra": _date(props.get("gyldig_fra"), rel, number, "gyldig_fra"),
        "gyldig_til": _date(props.get("gyldig_til"), rel, number, "gyldig_til"),
        "bydel_nr": int(bydel_nr) if bydel_nr not in (None, "") else None,
    }


def load_geojson(con: duckdb.DuckDBPyConnection, path: Path, rel: str, sha: str, ctx: LoadContext) -> int:
    """Load one GeoJSON file; 'line' in errors is the feature's number (1-based) in the collection."""
    document, source_crs = read_collection(path, rel)
    rows = []
    for number, feature in enumerate(document["features"], start=1):
        geometry = polygon_geometry(feature, rel, number)
        props = _area_properties(feature.get("properties") or {}, rel, number)
        rows.append((number, geometry, *props.values()))

    con.execute("""create or replace temp table _geo_in (feature INTEGER, geojson VARCHAR, omraade_kode VARCHAR,
        navn VARCHAR, niveau VARCHAR, overordnet_kode VARCHAR, gyldig_fra DATE, gyldig_til DATE,
        bydel_nr INTEGER)""")
    con.executemany("insert into _geo_in values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    transform = to_target_sql(source_crs)
    try:
        con.execute(f"""create or replace temp table _geo as
            select * exclude (geom), {transform} as geom, ST_IsValid(geom) as valid
            from (select *, ST_GeomFromGeoJSON(geojson) as geom from _geo_in)""")
    except duckdb.Error as exc:
        raise ContractError(rel, f"geometry cannot be read: {str(exc).splitlines()[0]}",
                            column="geometry") from None
    bad = con.execute("select feature, omraade_kode from _geo where not valid order by feature limit 1").fetchone()
    if bad:
        raise ContractError(rel, f"invalid polygon for {bad[1]} (self-intersecting or badly nested rings)",
                            line=bad[0], column="geometry")
    (x0, x1), (y0, y1) = KBH_BBOX["x"], KBH_BBOX["y"]
    outside = con.execute(f"""select feature, omraade_kode from _geo
        where ST_XMin(geom) < {x0} or ST_XMax(geom) > {x1} or ST_YMin(geom) < {y0} or ST_YMax(geom) > {y1}
        order by feature limit 1""").fetchone()
    if outside:
        raise ContractError(rel, f"{outside[1]} lies outside Copenhagen after reprojection from {source_crs} "
                            "(wrong or missing crs?)", line=outside[0], column="geometry")
    duplicate = con.execute("""select feature, omraade_kode from (select feature, omraade_kode,
        row_number() over (partition by omraade_kode order by feature) as n from _geo) where n > 1
        order by feature limit 1""").fetchone()
    if duplicate:
        raise ContractError(rel, f"omraade_kode {duplicate[1]} occurs twice", line=duplicate[0],
                            column="omraade_kode")
    lineage = ", ".join(f'"{n}"' for n in LINEAGE_COLUMNS)
    con.execute(f"""insert into raw.geo_omraader (omraade_kode, navn, niveau, overordnet_kode, gyldig_fra,
            gyldig_til, bydel_nr, geometri_wkt, {lineage})
        select omraade_kode, navn, niveau, overordnet_kode, gyldig_fra, gyldig_til, bydel_nr,
               ST_AsText(geom), ?, ?, feature, ? from _geo order by feature""", [rel, sha, ctx.loaded_at])
    n = len(rows)
    con.execute("drop table _geo; drop table _geo_in")
    return n


SOURCE = Source(
    folder="geo",
    patterns=("*.geojson",),
    exclude=("rode*.geojson",),  # the city's rode layer: sources/roder.py
    table=GEO_OMRAADER,
    description="Area polygons at every level (municipality, districts, partnership, parts, housing areas).",
    custom_loader=load_geojson,
)
