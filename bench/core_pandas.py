"""Variant (d) of the bench: the same core figures as an analyst would compute them with pandas + shapely.

`python bench/core_pandas.py INBOX OUT` writes OUT/kriminalitet.parquet and OUT/tryghed.parquet with the
same columns as bench/core_duckdb.py. Plain, readable pandas: read every delivery, keep the latest version
of each report, place the distinct points in the polygons, count; the same for the survey.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

SEEDS = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"


def areas(inbox: Path) -> pd.DataFrame:
    fc = json.loads((inbox / "geo" / "omraader.geojson").read_text(encoding="utf-8"))
    return pd.DataFrame([{**f["properties"], "geom": shape(f["geometry"])} for f in fc["features"]])


def place(points: pd.DataFrame, omr: pd.DataFrame) -> pd.DataFrame:
    """(x, y, omraade_kode) for every area below the municipality whose polygon contains the point."""
    parts = []
    for a in omr[omr["niveau"] != "kommune"].itertuples():
        inside = shapely.contains_xy(a.geom, points["x"].to_numpy(), points["y"].to_numpy())
        parts.append(points.loc[inside, ["x", "y"]].assign(omraade_kode=a.omraade_kode))
    return pd.concat(parts, ignore_index=True)


def crime(inbox: Path, omr: pd.DataFrame) -> pd.DataFrame:
    files = sorted((inbox / "police").glob("anmeldelser_*.csv*"))
    rep = pd.concat([pd.read_csv(f, sep=";", usecols=["journalnr", "anmeldt_dato", "gerningskode", "kommunekode",
                                                        "x_utm32", "y_utm32", "leveret_dato"],
                                 dtype={"journalnr": str}) for f in files], ignore_index=True)
    rep = rep.sort_values("leveret_dato", ascending=False, kind="stable").drop_duplicates("journalnr")
    rep["aar"] = pd.to_datetime(rep["anmeldt_dato"]).dt.year
    rep = rep.rename(columns={"x_utm32": "x", "y_utm32": "y"})

    koder = pd.read_csv(SEEDS / "gerningskoder.csv", sep=";", dtype=str).fillna("")
    koder["gerningskode"] = koder["gerningskode"].astype(int)
    groups = pd.concat([
        koder.loc[koder["borgervendt"] == "1", ["gerningskode"]].assign(gruppe="borgervendt_i_alt"),
        *(koder.loc[koder[c].str.strip() != "", ["gerningskode"]].assign(gruppe=prefix + koder[c].str.strip())
          for c, prefix in (("sagsomraade", "sagsomraade_"), ("fokus", "fokus_"), ("overvaagning", "overvaagning_"))),
    ])
    rep = rep.merge(groups, on="gerningskode", how="left")
    rep["gruppe"] = rep["gruppe"].fillna("ikke_kortlagt")

    kommune = rep.groupby(["aar", "kommunekode", "gruppe"]).size().reset_index(name="antal")
    kommune["omraade_kode"] = kommune.pop("kommunekode").astype(str)
    placed = rep.dropna(subset=["x", "y"])
    where = place(placed[["x", "y"]].drop_duplicates(), omr)
    lower = placed.merge(where, on=["x", "y"]).groupby(["aar", "omraade_kode", "gruppe"]).size()
    return pd.concat([kommune, lower.reset_index(name="antal")], ignore_index=True)


def safety(inbox: Path, omr: pd.DataFrame) -> pd.DataFrame:
    files = sorted((inbox / "survey_kk").glob("tryghedsundersoegelse_*.csv"))
    s = pd.concat([pd.read_csv(f, sep=";", decimal=",") for f in files], ignore_index=True)
    s["rid"] = np.arange(len(s))
    s = s.rename(columns={"x_utm32": "x", "y_utm32": "y"})
    with_xy = s.dropna(subset=["x", "y"])
    by_xy = with_xy.merge(place(with_xy[["x", "y"]].drop_duplicates(), omr), on=["x", "y"])[["rid", "omraade_kode"]]
    districts = omr.loc[omr["niveau"] == "bydel", ["bydel_nr", "omraade_kode"]]
    by_nr = s[s["x"].isna()].merge(districts, on="bydel_nr")[["rid", "omraade_kode"]]
    everyone = s[["rid"]].assign(omraade_kode="101")
    placed = pd.concat([by_xy, by_nr, everyone], ignore_index=True)

    out = []
    for maal, col in (("nabolag", "tryg_nabolag"), ("aften_nat", "tryg_aften_nat")):
        valid = s[s[col].between(1, 5)][["rid", "aar", "vaegt", col]]
        valid = valid.assign(tryg_vaegt=np.where(valid[col] <= 2, valid["vaegt"], 0.0)).merge(placed, on="rid")
        g = valid.groupby(["aar", "omraade_kode"]).agg(antal_svar=("rid", "size"), vaegt=("vaegt", "sum"),
                                                        tryg=("tryg_vaegt", "sum")).reset_index()
        g["andel"] = g["tryg"] / g["vaegt"]
        out.append(g.assign(maal=maal)[["aar", "omraade_kode", "maal", "antal_svar", "andel"]])
    return pd.concat(out, ignore_index=True)


def main(inbox: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    omr = areas(inbox)
    crime(inbox, omr).to_parquet(out / "kriminalitet.parquet", index=False)
    safety(inbox, omr).to_parquet(out / "tryghed.parquet", index=False)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
