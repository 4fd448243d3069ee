"""The map: the partnership's boundaries over the districts it lies in, from the published omraader.geojson.

Drawn with matplotlib and shapely only (no tiles, no web map), so the page stays self-contained and the
picture is exactly the polygons the figures were computed on. An earlier boundary (Amager: AP_OPR,
2013–2024) is a dashed line over the current one, and the parts are filled in the colours the charts use
for them, so a reader can tell an extension apart at a glance and also in black and white. Which areas are
drawn comes from the release (data.partnership), never from a code written here.
"""

from __future__ import annotations

import math

from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import withStroke
from shapely.affinity import scale
from shapely.geometry import MultiPolygon, Point, Polygon, box, shape
from shapely.geometry.polygon import orient

from assets.report.charts import new_figure
from assets.report.data import ReportData

HOUSING_LEVEL = "boligomraade"
DISTRICT_LEVEL = "bydel"
HALO = [withStroke(linewidth=3, foreground="white")]
DISTRICT_FILL = "#ece4d3"
HOUSING_COLOUR = "#3a3a3a"
PART_ALPHA = 0.4


def areas_by_code(collection: dict) -> dict[str, tuple[dict, Polygon | MultiPolygon]]:
    """omraade_kode → (properties, shapely geometry in WGS84)."""
    found = {}
    for feature in collection.get("features", []):
        geometry = feature.get("geometry")
        if not geometry:
            continue
        properties = feature.get("properties") or {}
        found[properties.get("omraade_kode")] = (properties, shape(geometry))
    return found


def _path(geometry) -> MplPath:
    """All rings of a (Multi)Polygon as one path; rings oriented so holes stay holes under nonzero filling."""
    polygons = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    vertices, codes = [], []
    for polygon in polygons:
        if not isinstance(polygon, Polygon) or polygon.is_empty:
            continue
        polygon = orient(polygon, 1.0)
        for ring in (polygon.exterior, *polygon.interiors):
            coords = list(ring.coords)
            vertices.extend(coords)
            codes.extend([MplPath.MOVETO] + [MplPath.LINETO] * (len(coords) - 2) + [MplPath.CLOSEPOLY])
    return MplPath(vertices, codes)


def _draw(axes, geometry, **style) -> None:
    axes.add_patch(PathPatch(_path(geometry), **style))


def area_map(data: ReportData):
    """The map figure, or None when the release carries no polygons (releases from before they were published)."""
    if not data.areas:
        return None
    areas = areas_by_code(data.areas)
    p = data.partnership
    if p.omraade_kode not in areas:
        return None
    figure = new_figure(9, 7.2)
    axes = figure.subplots()
    view = _view(areas[p.omraade_kode][1])
    minx, miny, maxx, maxy = view.bounds
    axes.set_xlim(minx, maxx)
    axes.set_ylim(miny, maxy)
    # degrees of longitude are shorter than degrees of latitude this far north
    latitude = (miny + maxy) / 2
    axes.set_aspect(1 / math.cos(math.radians(latitude)))
    axes.set_axis_off()
    axes.add_patch(PathPatch(_path(view), facecolor="#e6eef4", edgecolor="none", zorder=0))  # water

    partnership = areas[p.omraade_kode][1]
    for code, (props, geometry) in areas.items():
        if props.get("niveau") != DISTRICT_LEVEL:
            continue
        amager = code in p.districts
        _draw(axes, geometry, facecolor=DISTRICT_FILL if amager else "#f3f3f1", edgecolor="white", linewidth=1.5,
              zorder=1)
        at = _label_point(geometry, partnership, view)
        # other districts only named when the name fits well inside the window (orientation, not clutter)
        if at is not None and (amager or scale(view, 0.6, 0.8).contains(Point(at))):
            axes.text(*at, props.get("navn") or code, ha="center", va="center", path_effects=HALO, zorder=6,
                      fontsize=12 if amager else 9, fontweight="bold" if amager else "normal",
                      color="#7a6a4f" if amager else "#9a9a9a")
    for code in p.parts:
        if code in areas:
            _draw(axes, areas[code][1], facecolor=p.colours[code], alpha=PART_ALPHA, edgecolor="none", zorder=2)
    for code, (props, geometry) in sorted(areas.items()):
        if props.get("niveau") == HOUSING_LEVEL and props.get("partnerskab_kode", p.kode) == p.kode:
            _draw(axes, geometry, facecolor="none", edgecolor=HOUSING_COLOUR, hatch="////", linewidth=0.9, zorder=3)
            point = geometry.representative_point()
            axes.annotate(props.get("navn") or code, (point.x, point.y), xytext=(0, 0), textcoords="offset points",
                          fontsize=7.5, ha="center", va="center", color="#1d1d1d", path_effects=HALO, zorder=6)
    _draw(axes, partnership, facecolor="none", edgecolor=p.colours[p.omraade_kode], linewidth=3.2, zorder=4)
    for code, _years in p.old_boundaries:
        if code in areas:
            _draw(axes, areas[code][1], facecolor="none", edgecolor="black", linewidth=1.6, linestyle=(0, (4, 3)),
                  zorder=5)
    _scale_bar(axes, latitude)
    current = "Nuværende grænse" + (f" (fra {p.current_from})" if p.old_boundaries and p.current_from else "")
    handles = [
        Line2D([], [], color=p.colours[p.omraade_kode], linewidth=3.2, label=current),
        *(Line2D([], [], color="black", linewidth=1.6, linestyle=(0, (4, 3)), label=f"Oprindelig grænse ({years})")
          for _code, years in p.old_boundaries[:1]),
        *(Patch(facecolor=p.colours[code], alpha=PART_ALPHA, label=p.part_name(code)) for code in p.parts),
        Patch(facecolor="white", edgecolor=HOUSING_COLOUR, hatch="////", label="Boligområder"),
        Patch(facecolor=DISTRICT_FILL, edgecolor="#cccccc", label=_district_legend(data)),
    ]
    axes.legend(handles=handles, loc="lower right", frameon=True, framealpha=0.95, fontsize=8.5)
    return figure


def _district_legend(data: ReportData) -> str:
    """"Bydele på Amager" where the districts share a word ("Amager Vest", "Amager Øst"), else "Bydele"."""
    names = [data.partnership.labels[c].split()[0] for c in data.partnership.districts]
    return f"Bydele på {names[0]}" if len(names) > 1 and len(set(names)) == 1 else "Bydele"


def _view(partnership):
    """The map's window: the partnership area with a wide margin, so the districts around it show as context."""
    minx, miny, maxx, maxy = partnership.bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    half = max(maxx - minx, (maxy - miny) / math.cos(math.radians(cy))) * 1.1  # in degrees of longitude
    return box(cx - half, cy - half * math.cos(math.radians(cy)) * 0.8,
               cx + half, cy + half * math.cos(math.radians(cy)) * 0.8)


def _label_point(district, partnership, view):
    """Where to write a district's name: in the visible part of the district, away from the partnership area."""
    rest = district.intersection(view.buffer(-0.002)).difference(partnership.buffer(0.003))
    if rest.is_empty:
        return None
    largest = max(getattr(rest, "geoms", [rest]), key=lambda g: g.area)
    if largest.area < view.area * 0.01:  # only a sliver in view: leave it unnamed
        return None
    point = largest.representative_point()
    return point.x, point.y


def _scale_bar(axes, latitude: float, km: float = 1.0) -> None:
    """A 1 km bar in the lower left: the map has no other way to show its scale."""
    degrees = km / (111.32 * math.cos(math.radians(latitude)))
    x0, x1 = axes.get_xlim()
    y0, y1 = axes.get_ylim()
    x, y = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.04
    axes.plot([x, x + degrees], [y, y], color="black", linewidth=3, solid_capstyle="butt", zorder=7)
    axes.text(x + degrees / 2, y + (y1 - y0) * 0.012, f"{km:g} km", ha="center", va="bottom", fontsize=8,
              path_effects=HALO, zorder=7)
