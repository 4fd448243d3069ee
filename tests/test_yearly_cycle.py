"""The yearly cycle on partitions: a later police delivery arrives, a range of years is backfilled in one run.

What it shows, with the expected figures computed here from the inbox files and the polygons (pandas and
shapely), not by the pipeline:
- a report in 2019 inside the 2025 extension counts for the current partnership area (AP), not the original
  one (AP_OPR): every year is computed on both boundaries;
- a reclassified report moves between groups in its year only, and is counted once;
- years outside the backfilled range keep their published rows, even when the inbox has news for them;
- the run summary and the manifest say how many reports the delivery changed, and in which years.
"""

from __future__ import annotations

import json
import shutil

import duckdb
import pandas as pd
import shapely

from orchestration.cli import main
from tests.test_end_to_end import _offence_codes, _police

HEADER = ("journalnr;anmeldt_dato;gerning_fra;gerning_til;gerningskode;gerningskode_tekst;kommunekode;"
          "x_utm32;y_utm32;leveret_dato\n")
NEW_2019 = "0100-99999-00019-19"
NEW_2025 = "0100-99999-00025-25"
LATE_DELIVERY = "2026-03-15"  # later than every delivery in the inbox


def _count(marts: dict, year: int, area: str, group: str) -> int:
    rows = marts["fct_kriminalitet"].query("aar == @year and omraade_kode == @area and gruppe == @group")
    return int(rows["antal_anmeldelser"].sum())


def _read_marts(warehouse) -> dict[str, pd.DataFrame]:
    return {m: pd.read_parquet(warehouse / "marts" / f"{m}.parquet")
            for m in ("fct_kriminalitet", "fct_maalopfyldelse", "fct_aktiviteter")}


def test_backfill_of_a_range_with_a_later_delivery(pipeline, tmp_path, capsys):
    source_inbox, source_warehouse, _marts, areas = pipeline
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    shutil.copytree(source_inbox, inbox)
    shutil.copytree(source_warehouse, warehouse, symlinks=True)
    before = _read_marts(warehouse)
    manifest_before = json.loads((warehouse / "marts" / "manifest.json").read_text(encoding="utf-8"))

    codes = _offence_codes()
    burglary = sorted(set(codes.loc[codes["fokus"] == "indbrud", "gerningskode"]))
    violence = sorted(set(codes.loc[codes["fokus"] == "vold_vaaben", "gerningskode"]))

    # a 2024 burglary inside the partnership area, reclassified as violence by the late delivery
    reports = _police(inbox)
    candidates = reports[(reports["aar"] == 2024) & reports["gerningskode"].isin(burglary)
                         & (reports["x_utm32"] != "")]
    inside = shapely.contains_xy(areas["AP"], candidates["x_utm32"].astype(float).to_numpy(),
                                 candidates["y_utm32"].astype(float).to_numpy())
    target = candidates[inside].iloc[0]
    # a new report in 2019, inside the 2025 extension (so outside the original boundary), and one in 2025
    point = areas["AP_DEL_UDV"].representative_point()
    assert areas["AP"].contains(point) and not areas["AP_OPR"].contains(point)
    xy = f"{point.x:.0f};{point.y:.0f}"
    (inbox / "police" / "anmeldelser_2019_efterlevering.csv").write_text(
        HEADER + f"{NEW_2019};2019-05-02;;;{burglary[0]};Indbrud;101;{xy};{LATE_DELIVERY}\n", encoding="utf-8")
    (inbox / "police" / "anmeldelser_2024_omklassificering.csv").write_text(
        HEADER + f"{target['journalnr']};{target['anmeldt_dato']};{target['gerning_fra']};{target['gerning_til']};"
        f"{violence[0]};Vold;{target['kommunekode']};{target['x_utm32']};{target['y_utm32']};{LATE_DELIVERY}\n",
        encoding="utf-8")
    (inbox / "police" / "anmeldelser_2025_efterlevering.csv").write_text(
        HEADER + f"{NEW_2025};2025-05-02;;;{burglary[0]};Indbrud;101;{xy};{LATE_DELIVERY}\n", encoding="utf-8")

    # a yearly mart the warehouse does not have yet (a new mart, a new warehouse) gets every year, not
    # only the backfill's range
    con = duckdb.connect(str(warehouse / "tryghed.duckdb"))
    con.execute("drop table marts.fct_aktiviteter")
    con.close()

    capsys.readouterr()
    assert main(["backfill", "--from", "2019", "--to", "2024", "--inbox", str(inbox),
                 "--warehouse", str(warehouse)]) == 0
    output = capsys.readouterr().out
    after = _read_marts(warehouse)

    # 2019: the report counts on the current boundary and its extension, not on the original boundary
    assert _count(after, 2019, "AP", "fokus_indbrud") == 1
    assert _count(after, 2019, "AP_DEL_UDV", "fokus_indbrud") == 1
    assert _count(after, 2019, "AP_OPR", "fokus_indbrud") == 0
    assert _count(after, 2019, "AP_DEL_OPR", "fokus_indbrud") == 0

    # 2024: the reclassified report left burglary and joined violence, once
    assert _count(after, 2024, "AP", "fokus_indbrud") == _count(before, 2024, "AP", "fokus_indbrud") - 1
    assert _count(after, 2024, "AP", "fokus_vold_vaaben") == _count(before, 2024, "AP", "fokus_vold_vaaben") + 1
    assert _count(after, 2024, "101", "borgervendt_i_alt") == _count(before, 2024, "101", "borgervendt_i_alt")

    # 2025 is outside the range, but every crime row carries the baseline year's figures, and 2024 is in the
    # range: decision 17 rebuilds every year of fct_kriminalitet, so the new 2025 report counts too
    assert _count(after, 2025, "AP", "fokus_indbrud") == _count(before, 2025, "AP", "fokus_indbrud") + 1

    assert not before["fct_aktiviteter"].query("aar < 2019 or aar > 2024").empty
    pd.testing.assert_frame_equal(after["fct_aktiviteter"], before["fct_aktiviteter"], check_exact=True)

    # the run says what the delivery changed, and the manifest records it with the years rebuilt
    assert "nye siden sidste udgivelse: 1 (2024: 1)" in output
    manifest = json.loads((warehouse / "marts" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["aar_genberegnet"] == {"fra": 2019, "til": 2024}
    revisions, revisions_before = manifest["revisioner"], manifest_before["revisioner"]
    assert revisions["anmeldelser_rettet"] == revisions_before["anmeldelser_rettet"] + 1
    assert revisions["heraf_omklassificeret"] == revisions_before["heraf_omklassificeret"] + 1
    assert revisions["pr_aar"]["2024"] == revisions_before["pr_aar"].get("2024", 0) + 1
    assert {f["fil"] for f in manifest["inputfiler"]} >= {
        "police/anmeldelser_2019_efterlevering.csv", "police/anmeldelser_2024_omklassificering.csv"}


def test_backfill_refuses_years_outside_the_partitions(capsys):
    assert main(["backfill", "--from", "2010", "--to", "2012", "--inbox", "data/sample"]) == 2
    assert "2014" in capsys.readouterr().err
