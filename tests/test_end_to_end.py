"""The whole pipeline on a small generated inbox, with mart values checked against figures this test
computes itself from the extract files (pandas, numpy, shapely, scipy) — never from the pipeline's SQL.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import shapely
from scipy.stats import norm

from assets.foundation.dbt_project import mart_names
from orchestration.cli import main
from tests.conftest import EXTRA_JOURNALNR, YEARS, current_release

MARTS = mart_names()


def _read_csvs(folder: Path, pattern: str) -> pd.DataFrame:
    frames = []
    for path in sorted(folder.glob(pattern)):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8-sig") as fh:
            frames.append(pd.read_csv(fh, sep=";", dtype=str, keep_default_na=False))
    return pd.concat(frames, ignore_index=True)


def _police(inbox: Path) -> pd.DataFrame:
    """De-duplicated reports: per journalnr the row of the latest delivery wins."""
    reports = _read_csvs(inbox / "police", "anmeldelser_*.csv*")
    reports = reports.sort_values("leveret_dato", kind="stable").drop_duplicates("journalnr", keep="last")
    reports["aar"] = reports["anmeldt_dato"].str[:4].astype(int)
    reports["gerningskode"] = reports["gerningskode"].astype(int)
    return reports


def _offence_codes() -> pd.DataFrame:
    seed = Path(__file__).parent.parent / "dbt_project" / "seeds" / "gerningskoder.csv"
    return pd.read_csv(seed, sep=";", dtype={"fokus": str, "overvaagning": str})


def test_every_mart_published_and_readable_from_the_catalog(pipeline):
    _inbox, warehouse, marts, _ = pipeline
    catalog = duckdb.connect(str(warehouse / "tryghed_katalog.duckdb"), read_only=True)
    for mart in MARTS:
        assert len(marts[mart]) > 0, mart
        assert catalog.execute(f"select count(*) from {mart}").fetchone()[0] == len(marts[mart])
    catalog.close()
    manifest = json.loads((current_release(warehouse) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["raekker"] == {m: len(marts[m]) for m in MARTS}


def test_weighted_share_kish_and_wilson_for_amager_vest(pipeline):
    inbox, _warehouse, marts, areas = pipeline
    survey = _read_csvs(inbox / "survey_kk", "tryghedsundersoegelse_2024.csv")
    w = survey["vaegt"].str.replace(",", ".").astype(float)
    ans = pd.to_numeric(survey["tryg_nabolag"], errors="coerce")
    has_xy = survey["x_utm32"] != ""
    xs = pd.to_numeric(survey["x_utm32"], errors="coerce").to_numpy()
    ys = pd.to_numeric(survey["y_utm32"], errors="coerce").to_numpy()
    inside = np.zeros(len(survey), dtype=bool)
    inside[has_xy.to_numpy()] = shapely.contains_xy(areas["BY10"], xs[has_xy], ys[has_xy])
    in_area = inside | (~has_xy & (survey["bydel_nr"] == "10")).to_numpy()
    valid = in_area & ans.between(1, 5).to_numpy()
    wv = w[valid].to_numpy()
    p = wv[(ans[valid] <= 2).to_numpy()].sum() / wv.sum()
    n_eff = wv.sum() ** 2 / (wv**2).sum()
    z = norm.ppf(0.975)
    centre = (p + z * z / (2 * n_eff)) / (1 + z * z / n_eff)
    half = z * np.sqrt(p * (1 - p) / n_eff + z * z / (4 * n_eff**2)) / (1 + z * z / n_eff)

    row = marts["fct_tryghed"].query("aar == 2024 and omraade_kode == 'BY10' and kilde == 'kk' and maal == 'nabolag'")
    assert len(row) == 1
    row = row.iloc[0]
    assert row["andel"] == pytest.approx(p, abs=1e-9)
    assert row["antal_svar"] == valid.sum()
    assert row["effektiv_n"] == pytest.approx(n_eff, rel=1e-9)
    assert row["ci_lav"] == pytest.approx(centre - half, abs=1e-9)
    assert row["ci_hoej"] == pytest.approx(centre + half, abs=1e-9)
    assert row["datagrundlag"] == "respondenter"


def test_change_z_test_matches_scipy(pipeline):
    inbox, _warehouse, marts, _ = pipeline
    tryghed = marts["fct_tryghed"].query("omraade_kode == '101' and kilde == 'kk' and maal == 'aften_nat'")
    by_year = tryghed.set_index("aar")
    p0, n0 = by_year.loc[2023, "andel"], by_year.loc[2023, "effektiv_n"]
    p1, n1 = by_year.loc[2024, "andel"], by_year.loc[2024, "effektiv_n"]
    z = (p1 - p0) / np.sqrt(p0 * (1 - p0) / n0 + p1 * (1 - p1) / n1)
    assert by_year.loc[2024, "aendring"] == pytest.approx(100 * (p1 - p0), abs=1e-9)
    assert by_year.loc[2024, "p_vaerdi"] == pytest.approx(2 * norm.sf(abs(z)), abs=1e-6)
    assert bool(by_year.loc[2024, "aendring_signifikant"]) == (2 * norm.sf(abs(z)) < 0.05)


def test_borgervendt_per_1000_for_copenhagen(pipeline):
    inbox, _warehouse, marts, _ = pipeline
    reports = _police(inbox)
    codes = _offence_codes()
    borgervendt = set(codes.loc[codes["borgervendt"] == 1, "gerningskode"])
    count = ((reports["aar"] == 2024) & (reports["kommunekode"] == "101")
             & reports["gerningskode"].isin(borgervendt)).sum()
    folk = pd.read_csv(inbox / "dst" / "FOLK1A.csv", sep=";", dtype=str, encoding="utf-8-sig")
    population = float(folk.query("OMRÅDE == '101' and KØN == 'TOT' and ALDER == 'IALT' and CIVILSTAND == 'TOT' "
                                  "and TID == '2024K1'")["INDHOLD"].iloc[0])
    row = marts["fct_kriminalitet"].query("aar == 2024 and omraade_kode == '101' and gruppe == 'borgervendt_i_alt'")
    row = row.iloc[0]
    assert row["antal_anmeldelser"] == count
    assert row["befolkning"] == population
    assert row["pr_1000"] == pytest.approx(1000 * count / population, rel=1e-12)
    assert row["befolkning_kilde"] == "dst"


def test_deduplicated_counts_and_unplaced_reports(pipeline):
    inbox, _warehouse, marts, _ = pipeline
    reports = _police(inbox)
    raw_rows = len(_read_csvs(inbox / "police", "anmeldelser_*.csv*"))
    assert raw_rows > len(reports)  # the sample really has overlapping deliveries
    codes = _offence_codes()
    for year in range(YEARS[0], YEARS[1] + 1):
        of_year = reports[(reports["aar"] == year) & (reports["kommunekode"] == "101")]
        crime = marts["fct_kriminalitet"].query(f"aar == {year} and omraade_kode == '101'").set_index("gruppe")
        unmapped = (~of_year["gerningskode"].isin(set(codes["gerningskode"]))).sum()
        assert crime.loc["ikke_kortlagt", "antal_anmeldelser"] == unmapped
        burglary = of_year["gerningskode"].isin(set(codes.loc[codes["fokus"] == "indbrud", "gerningskode"])).sum()
        assert crime.loc["fokus_indbrud", "antal_anmeldelser"] == burglary
        borgervendt = of_year["gerningskode"].isin(set(codes.loc[codes["borgervendt"] == 1, "gerningskode"]))
        unplaced = (borgervendt & (of_year["x_utm32"] == "")).sum()
        assert crime.loc["borgervendt_i_alt", "antal_uden_placering"] == unplaced


def test_report_in_the_2025_extension_counts_on_the_current_boundary_only(pipeline):
    inbox, _warehouse, marts, areas = pipeline
    reports = _police(inbox)
    codes = _offence_codes()
    burglary_codes = set(codes.loc[codes["fokus"] == "indbrud", "gerningskode"])
    placed = reports[(reports["x_utm32"] != "") & (reports["aar"] == 2023)
                     & reports["gerningskode"].isin(burglary_codes)]
    x, y = placed["x_utm32"].astype(float).to_numpy(), placed["y_utm32"].astype(float).to_numpy()
    crime = marts["fct_kriminalitet"].query("aar == 2023 and gruppe == 'fokus_indbrud'").set_index("omraade_kode")
    for code in ("AP", "AP_OPR", "AP_DEL_UDV", "BY09", "BY10"):
        expected = int(shapely.contains_xy(areas[code], x, y).sum())
        assert crime.loc[code, "antal_anmeldelser"] == expected, code
    ours = placed["journalnr"] == EXTRA_JOURNALNR
    assert ours.sum() == 1
    assert shapely.contains_xy(areas["AP"], x[ours.to_numpy()], y[ours.to_numpy()]).all()
    assert not shapely.contains_xy(areas["AP_OPR"], x[ours.to_numpy()], y[ours.to_numpy()]).any()


def test_collaboration_share(pipeline):
    inbox, _warehouse, marts, _ = pipeline
    plan = _read_csvs(inbox / "aktiviteter", "tryghedsplan_2025.csv")
    import tomllib

    parties = tomllib.loads((Path(__file__).parent.parent / "partnerskaber" / "AP.toml").read_text("utf-8"))["parter"]

    def norm_name(s: str) -> str:
        return " ".join(s.split()).lower()

    lookup = {norm_name(a): p["navn"] for p in parties for a in [p["navn"], *p.get("aliaser", [])]}
    active = plan[plan["status"] != "aflyst"]
    partners = active["partnere"].map(
        lambda s: {lookup.get(norm_name(x), norm_name(x)) for x in s.split(",") if x.strip()})
    expected = (partners.map(len) >= 2).sum() / len(active)
    total = marts["fct_aktiviteter"].query("partnerskab_kode == 'AP' and aar == 2025 and indsatsomraade.isna()").iloc[0]
    assert total["antal_aktiviteter"] == len(active)
    assert total["andel_mindst_2_partnere"] == pytest.approx(expected, abs=1e-12)
    assert bool(total["maal_opfyldt"]) == (expected >= 0.75)


def test_conflicting_deliveries_across_files_name_the_file_and_line(pipeline, tmp_path, capsys):
    """The same journalnr and leveret_dato with other content in two files: no single file breaks the
    contract, so the loaders accept both; the GX rule over all deliveries names the file, line and column."""
    inbox, source_warehouse, _marts, _ = pipeline
    # a failing run records itself in the warehouse's Dagster instance: run on a copy, the session's stays as it is
    warehouse = tmp_path / "warehouse"
    shutil.copytree(source_warehouse, warehouse, symlinks=True)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in current_release(warehouse).iterdir()}
    broken = tmp_path / "inbox"
    shutil.copytree(inbox, broken)
    with gzip.open(broken / "police" / "anmeldelser_2024.csv.gz", "rt", encoding="utf-8-sig") as fh:
        header, first = fh.readline(), fh.readline()
    fields = first.rstrip("\r\n").split(";")
    columns = header.rstrip("\r\n").split(";")
    fields[columns.index("gerningskode")] = "1220" if fields[columns.index("gerningskode")] != "1220" else "1230"
    (broken / "police" / "anmeldelser_2024_ekstra.csv").write_text(header + ";".join(fields) + "\n",
                                                                  encoding="utf-8")

    assert main(["run", "--inbox", str(broken), "--warehouse", str(warehouse)]) == 1
    err = capsys.readouterr().err
    assert "police/anmeldelser_2024" in err and ", line 2, column 'journalnr'" in err
    assert "journalnr_entydig_i_levering" in err
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in current_release(warehouse).iterdir()}
    assert after == before
