"""The areas of architecture.md as polygons in EPSG:25832.

Municipality and districts are the city's real polygons; Urbanplanen is the city's real "Urbanplanen mv."
polygon. The other housing areas and the partnership boundaries are drawn by hand near their real places:
no official polygons for them are public, and the pipeline only needs plausible, valid shapes that nest.
All geometry is snapped to a 0.1 m grid so that overlays are exact and the output is stable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyproj
import shapely
from shapely.geometry import Polygon, mapping, shape

from ._util import write_bytes

DATA = Path(__file__).parent / "data"
GRID = 0.1

# Hand-drawn housing areas (EPSG:25832 corners). Hørgården, Remisevænget and Gullandsgården sit just east of
# the real Urbanplanen polygon on the Amager Vest side; Telemark is a quieter residential block in
# Sundbyvester; Støberigården and Holmbladsgade are in northern Amager Øst (Amagerbro).
_HOUSING = {
    "BO_HOERGAARDEN": [(726520, 6173480), (726790, 6173450), (726830, 6173690), (726560, 6173730)],
    "BO_REMISEVAENGET": [(726470, 6173060), (726760, 6173030), (726790, 6173300), (726500, 6173330)],
    "BO_GULLANDSGAARDEN": [(726480, 6172640), (726720, 6172620), (726740, 6172860), (726500, 6172880)],
    "BO_TELEMARK": [(726880, 6172330), (727130, 6172300), (727160, 6172540), (726910, 6172570)],
    "BO_STOEBERIGAARDEN": [(727480, 6174420), (727740, 6174400), (727760, 6174620), (727500, 6174640)],
    "BO_HOLMBLADSGADE": [(726980, 6174720), (727460, 6174690), (727480, 6174900), (727000, 6174930)],
}
# The original partnership area reaches a little across Amagerbrogade into Amager Øst ...
_OPR_EAST_PIECE = [(726600, 6173900), (727150, 6173750), (727250, 6174350), (726700, 6174480)]
# ... and the 2025 expansion is the block north-east of it, up to Holmbladsgade and Prags Boulevard.
_UDV_BLOCK = [(726600, 6174300), (727900, 6174150), (727950, 6175050), (726700, 6175150)]


@dataclass(frozen=True)
class Area:
    code: str
    navn: str
    niveau: str
    parent: str | None
    fra: str | None
    til: str | None
    bydel_nr: int | None
    geom: shapely.Geometry


def _snap(g: shapely.Geometry) -> shapely.Geometry:
    return shapely.set_precision(g, GRID)


def _largest(g: shapely.Geometry) -> shapely.Geometry:
    """Overlays can leave sub-metre slivers; the areas are meant to be one piece."""
    if g.geom_type == "Polygon":
        return g
    return max(shapely.get_parts(g), key=lambda p: p.area)


def _districts() -> list[tuple[int, str, shapely.Geometry]]:
    fc = json.loads((DATA / "bydele.geojson").read_text(encoding="utf-8"))
    tr = pyproj.Transformer.from_crs(4326, 25832, always_xy=True)
    out = []
    for feat in fc["features"]:
        g = shapely.transform(shape(feat["geometry"]),
                              lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))
        out.append((int(feat["properties"]["bydel_nr"]), feat["properties"]["navn"], _snap(g)))
    return sorted(out, key=lambda t: t[0])


@lru_cache(maxsize=1)
def build_areas() -> tuple[Area, ...]:
    districts = _districts()
    by = {nr: g for nr, _, g in districts}
    amager = shapely.union(by[9], by[10], grid_size=GRID)
    kommune = shapely.union_all([g for _, _, g in districts], grid_size=GRID)

    urban = _snap(shapely.from_wkt((DATA / "urbanplanen_mv.wkt").read_text(encoding="utf-8").strip()))
    urban = _largest(shapely.intersection(urban, amager, grid_size=GRID))
    housing = {"BO_URBANPLANEN": urban}
    for code, pts in _HOUSING.items():
        g = shapely.difference(_snap(Polygon(pts)), urban, grid_size=GRID)
        housing[code] = _largest(shapely.intersection(g, amager, grid_size=GRID))

    opr_members = [housing[c] for c in ("BO_URBANPLANEN", "BO_HOERGAARDEN", "BO_REMISEVAENGET",
                                        "BO_GULLANDSGAARDEN", "BO_TELEMARK")]
    hull = shapely.union_all(opr_members).convex_hull.buffer(80, join_style="mitre")
    opr = shapely.union(_snap(hull), _snap(Polygon(_OPR_EAST_PIECE)), grid_size=GRID)
    opr = _largest(shapely.intersection(opr, amager, grid_size=GRID))
    udv = shapely.difference(_snap(Polygon(_UDV_BLOCK)), opr, grid_size=GRID)
    udv = _largest(shapely.intersection(udv, by[9], grid_size=GRID))
    ap = shapely.union(opr, udv, grid_size=GRID)

    areas = [Area("101", "Københavns Kommune", "kommune", None, None, None, None, kommune)]
    areas += [Area(f"BY{nr:02d}", navn, "bydel", "101", None, None, nr, g) for nr, navn, g in districts]
    areas += [
        Area("AP", "Amager Partnerskab (nuværende grænse)", "partnerskab", "101", "2025-01-01", None, None,
             ap),
        Area("AP_OPR", "Amager Partnerskab (oprindelig grænse)", "partnerskab", "101", "2013-01-01",
             "2024-12-31", None, opr),
        Area("AP_DEL_OPR", "Amager Partnerskab, oprindeligt område", "partnerskab_del", "AP", "2013-01-01",
             None, None, opr),
        Area("AP_DEL_UDV", "Amager Partnerskab, udvidelsen 2025", "partnerskab_del", "AP", "2025-01-01",
             None, None, udv),
    ]
    names = {
        "BO_URBANPLANEN": "Urbanplanen", "BO_HOERGAARDEN": "Hørgården",
        "BO_REMISEVAENGET": "Remisevænget/Remiseparken", "BO_GULLANDSGAARDEN": "Gullandsgården",
        "BO_TELEMARK": "Telemarkskvarteret", "BO_STOEBERIGAARDEN": "Støberigården",
        "BO_HOLMBLADSGADE": "Holmbladsgade og omegn",
    }
    for code, navn in names.items():
        parent = "AP_DEL_UDV" if code in ("BO_STOEBERIGAARDEN", "BO_HOLMBLADSGADE") else "AP_DEL_OPR"
        areas.append(Area(code, navn, "boligomraade", parent, None, None, None, housing[code]))
    return tuple(areas)


def area_map() -> dict[str, shapely.Geometry]:
    return {a.code: a.geom for a in build_areas()}


def _round_coords(obj):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], float | int):
            return [round(float(v), 1) for v in obj]
        return [_round_coords(o) for o in obj]
    return obj


def write_geo(folder: Path) -> int:
    """One feature per line, so a diff of the sample shows which area changed."""
    feats = []
    for a in build_areas():
        props = {"omraade_kode": a.code, "navn": a.navn, "niveau": a.niveau, "overordnet_kode": a.parent,
                 "gyldig_fra": a.fra, "gyldig_til": a.til}
        if a.bydel_nr is not None:
            props["bydel_nr"] = a.bydel_nr
        geom = mapping(a.geom)
        feat = {"type": "Feature", "properties": props,
                "geometry": {"type": geom["type"], "coordinates": _round_coords(geom["coordinates"])}}
        feats.append(json.dumps(feat, ensure_ascii=False, separators=(",", ":")))
    head = ('{"type":"FeatureCollection","crs":{"type":"name","properties":'
            '{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[\n')
    write_bytes(folder / "omraader.geojson", (head + ",\n".join(feats) + "\n]}\n").encode("utf-8"))
    return len(feats)
