"""One-off: copy the real geometry the generator needs from ../shared/realdata into samplegen/data.

Kept so the copies in samplegen/data can be re-derived and checked; the generator itself never reads
../shared, which is not part of this repository.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pyproj
import shapely
from shapely.geometry import shape

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
DATA = Path(__file__).parent / "data"


def _to_25832(geom):
    tr = pyproj.Transformer.from_crs(4326, 25832, always_xy=True)
    return shapely.transform(geom, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))


def main(realdata: Path = REALDATA) -> None:
    shutil.copyfile(realdata / "kk-bydel-wfs-2024" / "bydele.geojson", DATA / "bydele.geojson")

    csv.field_size_limit(sys.maxsize)
    udsatte = realdata / "kk-udsatte-byomraader-wfs-2019" / "f_udsatte_byomraader.csv"
    with open(udsatte, encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["delomraade"] == "Urbanplanen mv.")
    (DATA / "urbanplanen_mv.wkt").write_text(row["wkb_geometry"] + "\n", encoding="utf-8")

    # Amager's "roder" (small statistical areas), simplified to 3 m: only used to shape where people live.
    roder = json.loads((realdata / "kk-rode-wfs-2023" / "rode.geojson").read_text(encoding="utf-8"))
    rows = []
    for feat in roder["features"]:
        p = feat["properties"]
        if not (p["bydel"] or "").startswith("Amager"):
            continue
        g = shapely.set_precision(_to_25832(shape(feat["geometry"])).simplify(3), 1.0)
        rows.append((p["rode_nr"], p["rodenavn"], p["kvarternavn"], p["bydel"].strip(), g.wkt))
    rows.sort()
    with open(DATA / "amager_roder.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(["rode_nr", "rodenavn", "kvarternavn", "bydel", "wkt"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
