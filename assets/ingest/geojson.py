"""GeoJSON files of the inbox's geo/ folder: reading the collection, its coordinate system, reprojection.

Shared by the two geo sources (the areas, `sources/geo.py`, and the city's rode layer, `sources/roder.py`),
so both read a file's `crs` member the same way: without one it is WGS84 lon/lat (RFC 7946); the city's WFS
layers say `urn:ogc:def:crs:EPSG::4326` but hold lon/lat, so axes are always taken in GeoJSON's order.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from assets.ingest.contract import ContractError

TARGET_CRS = "EPSG:25832"


def crs_of(document: dict, rel: str) -> str:
    crs = document.get("crs")
    if not crs:
        return "EPSG:4326"
    name = str((crs.get("properties") or {}).get("name", ""))
    if "CRS84" in name.upper():
        return "EPSG:4326"
    match = re.search(r"EPSG:+(?:[\d.]*:)?(\d+)$", name, flags=re.IGNORECASE)
    if not match:
        raise ContractError(rel, f"unrecognised crs {name!r} (expected e.g. urn:ogc:def:crs:EPSG::25832)",
                            column="crs")
    return f"EPSG:{match.group(1)}"


def read_collection(path: Path, rel: str) -> tuple[dict, str]:
    """The FeatureCollection and its coordinate system, or a ContractError naming the file."""
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ContractError(rel, "not UTF-8 text; save the file as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ContractError(rel, f"not valid JSON: {exc.msg}", line=exc.lineno) from None
    if document.get("type") != "FeatureCollection" or not isinstance(document.get("features"), list):
        raise ContractError(rel, "not a GeoJSON FeatureCollection", column="type")
    if not document["features"]:
        raise ContractError(rel, "the collection has no features", column="features")
    return document, crs_of(document, rel)


def polygon_geometry(feature: dict, rel: str, number: int) -> str:
    geometry = feature.get("geometry") or {}
    if geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ContractError(rel, f"geometry must be a Polygon or MultiPolygon, not {geometry.get('type')}",
                            line=number, column="geometry")
    return json.dumps(geometry)


def to_target_sql(source_crs: str, column: str = "geom") -> str:
    """DuckDB spatial's expression that brings `column` from the file's CRS to EPSG:25832 (lon/lat order)."""
    if source_crs == TARGET_CRS:
        return column
    return f"ST_Transform({column}, '{source_crs}', '{TARGET_CRS}', always_xy := true)"
