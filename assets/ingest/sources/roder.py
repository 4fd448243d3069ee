"""The city's rode layer: geo/rode.geojson (WFS `k101:rode`, 399 roder), reprojected to EPSG:25832 on load.

Roder are the small statistical units the city's own areas are made of; a partnership's areas may be
defined as unions of them (by `rode_nr` or by an attribute such as `udsat_byomraade`, partnerships.md), so
the layer is kept as delivered: its properties (`rode_nr`, `rodenavn`, `bydel`, `kvarternavn`,
`udsat_byomraade`, `lokaludvalgnavn`; trimmed, the WFS has trailing spaces) and each rode's polygon.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from assets.ingest.contract import ContractError, LoadContext
from assets.ingest.geojson import polygon_geometry, read_collection, to_target_sql
from assets.ingest.loading import Source
from assets.ingest.raw_schema import GEO_RODER, LINEAGE_COLUMNS
from assets.ingest.rules import KBH_BBOX

TEXT_PROPERTIES = ("rodenavn", "bydel", "kvarternavn", "udsat_byomraade", "lokaludvalgnavn")


def _text(value) -> str | None:
    return None if value is None or str(value).strip() == "" else str(value).strip()


def load_roder(con: duckdb.DuckDBPyConnection, path: Path, rel: str, sha: str, ctx: LoadContext) -> int:
    """Load one rode layer; 'line' in errors is the feature's number (1-based) in the collection."""
    document, source_crs = read_collection(path, rel)
    rows = []
    for number, feature in enumerate(document["features"], start=1):
        geometry = polygon_geometry(feature, rel, number)
        props = {str(k).lower(): v for k, v in (feature.get("properties") or {}).items()}
        try:
            rode_nr = int(props.get("rode_nr"))
        except (TypeError, ValueError):
            raise ContractError(rel, f"rode_nr {props.get('rode_nr')!r} is not a whole number", line=number,
                                column="rode_nr") from None
        if _text(props.get("rodenavn")) is None:
            raise ContractError(rel, "required property is missing", line=number, column="rodenavn")
        rows.append((number, geometry, rode_nr, *(_text(props.get(p)) for p in TEXT_PROPERTIES)))
    con.execute("""create or replace temp table _rode_in (feature INTEGER, geojson VARCHAR, rode_nr INTEGER,
        rodenavn VARCHAR, bydel VARCHAR, kvarternavn VARCHAR, udsat_byomraade VARCHAR, lokaludvalgnavn VARCHAR)""")
    con.executemany("insert into _rode_in values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    try:
        # the WFS's polygons are not always valid (touching rings): made valid, they cover the same ground
        con.execute(f"""create or replace temp table _rode as
            select * exclude (geom), ST_MakeValid({to_target_sql(source_crs)}) as geom
            from (select *, ST_GeomFromGeoJSON(geojson) as geom from _rode_in)""")
    except duckdb.Error as exc:
        raise ContractError(rel, f"geometry cannot be read: {str(exc).splitlines()[0]}",
                            column="geometry") from None
    (x0, x1), (y0, y1) = KBH_BBOX["x"], KBH_BBOX["y"]
    outside = con.execute(f"""select feature, rode_nr from _rode
        where ST_XMin(geom) < {x0} or ST_XMax(geom) > {x1} or ST_YMin(geom) < {y0} or ST_YMax(geom) > {y1}
        order by feature limit 1""").fetchone()
    if outside:
        raise ContractError(rel, f"rode {outside[1]} lies outside Copenhagen after reprojection from {source_crs}",
                            line=outside[0], column="geometry")
    duplicate = con.execute("""select feature, rode_nr from (select feature, rode_nr,
        row_number() over (partition by rode_nr order by feature) as n from _rode) where n > 1
        order by feature limit 1""").fetchone()
    if duplicate:
        raise ContractError(rel, f"rode_nr {duplicate[1]} occurs twice", line=duplicate[0], column="rode_nr")
    lineage = ", ".join(f'"{n}"' for n in LINEAGE_COLUMNS)
    con.execute(f"""insert into raw.geo_roder (rode_nr, rodenavn, bydel, kvarternavn, udsat_byomraade,
            lokaludvalgnavn, geometri_wkt, {lineage})
        select rode_nr, rodenavn, bydel, kvarternavn, udsat_byomraade, lokaludvalgnavn, ST_AsText(geom),
               ?, ?, feature, ? from _rode order by feature""", [rel, sha, ctx.loaded_at])
    con.execute("drop table _rode; drop table _rode_in")
    return len(rows)


SOURCE = Source(
    folder="geo",
    patterns=("rode*.geojson",),
    table=GEO_RODER,
    description="The city's rode layer (k101:rode): the units partnership areas can be made of.",
    custom_loader=load_roder,
)
