"""Partnerships as configuration (issue 13, ../shared/docs/partnerships.md).

- A partnership's file is checked on load; a bad one is refused naming the file and the key (an unknown kind
  of goal, an unknown rode, parts that overlap).
- Adding a partnership is one file: a third one (the roder of the quarter Husum Nord) gets its areas, its
  figures and its report with no code change; its figures are checked against a count made here, from the
  inbox's files with shapely and pyproj, not with the pipeline's code.
- Amager's marts are the same with and without the other partnerships (apart from the new key columns).
- An area file with other codes and only three districts runs.
"""

from __future__ import annotations

import gzip
import io
import json
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from shapely.geometry import shape

import samplegen
from assets.foundation.database import load_spatial
from assets.foundation.dbt_project import mart_names
from assets.foundation.partnerships import load_partnerships, read_partnership
from assets.foundation.settings import PROJECT_ROOT, ConfigError
from assets.ingest.contract import LoadContext
from assets.ingest.loading import load_source
from assets.ingest.partnerships import build_partnerships
from assets.ingest.raw_schema import create_empty_raw_schema
from assets.ingest.sources import geo, roder
from orchestration.cli import main

PROJECT_FILES = PROJECT_ROOT / "partnerskaber"
YEARS = (2022, 2025)
SCALE = 0.2
KEY_COLUMNS = {"partnerskab_kode", "maal_art", "baseline_aar", "baseline_antal", "baseline_pr_1000",
               "indeks_baseline", "beregnet"}

# The third partnership, written as an analyst would: one file, nothing else.
HUSUM_NORD = """
kode = "HN"
navn = "Husum Nord Partnerskab"
aftale_fra = 2024
aftale_til = 2026
baseline_aar = 2023

[[graenser]]
kode = "HN"
navn = "Husum Nord Partnerskab"
rode_attribut = { kvarternavn = "Husum Nord" }

[[dele]]
kode = "HN_VEST"
navn = "Husum Nord Partnerskab, Tingbjerg-siden"
roder = [265, 266]

[[dele]]
kode = "HN_OEST"
navn = "Husum Nord Partnerskab, Voldparken-siden"
roder = [262, 263, 264]

[[parter]]
navn = "Københavns Kommune"
type = "part"

[[maal]]
id = "1"
art = "tryghed"
maaling = "nabolag"
tekst = "Flere skal føle sig trygge i nabolaget"

[[maal]]
id = "2"
art = "kriminalitet"
gruppe = "borgervendt_i_alt"
enhed = "antal"
gerningstype = "Borgervendt kriminalitet"
tekst = "Højst lige så mange anmeldelser af borgervendt kriminalitet som i 2023"

[[maal]]
id = "3"
art = "samarbejde"
taerskel = 0.5
tekst = "Mindst halvdelen af aktiviteterne med to partnere"
"""


def _folder(tmp_path: Path, name: str, codes: tuple[str, ...], extra: dict[str, str] | None = None) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for code in codes:
        shutil.copy(PROJECT_FILES / f"{code}.toml", folder / f"{code}.toml")
    for file, text in (extra or {}).items():
        (folder / file).write_text(text, encoding="utf-8")
    return folder


# --- the files on their own ---------------------------------------------------------------------------------
def test_the_projects_files_read_and_amager_is_the_default():
    partnerships = {p.kode: p for p in load_partnerships(PROJECT_FILES)}
    assert set(partnerships) == {"AP", "THP"}
    assert partnerships["AP"].standard and not partnerships["THP"].standard
    assert partnerships["AP"].omraade_kode == "AP" and partnerships["THP"].baseline_aar == 2023
    assert [g.maal_id for g in partnerships["AP"].maal] == ["1a", "1b", "2a", "2b", "2c", "2d", "3"]


@pytest.mark.parametrize(("change", "key", "message"), [
    (('art = "samarbejde"', 'art = "trivsel"'), "maal[6].art", "unknown kind of goal 'trivsel'"),
    (('aftale_til = 2028', 'aftale_til = "2028"'), "aftale_til", "expected a whole number"),
    (('kode = "BO_TELEMARK"', 'kode = "BO_URBANPLANEN"'), "boligomraader[4].kode", "also boligomraader[0]"),
    (('del = "AP_DEL_UDV"', 'del = "AP_DEL_NY"'), "boligomraader[5].del", "not one of the parts"),
    (('budget_kr = 1900000', 'budget = 1900000'), "budget", "unknown key"),
])
def test_a_bad_file_is_refused_naming_the_file_and_the_key(tmp_path, change, key, message):
    text = (PROJECT_FILES / "AP.toml").read_text(encoding="utf-8").replace(*change, 1)
    path = tmp_path / "AP.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        read_partnership(path)
    assert f"AP.toml: key '{key}'" in str(error.value) and message in str(error.value)


def test_tryghed_run_refuses_a_goal_of_unknown_kind_before_anything_runs(tmp_path, monkeypatch, capsys):
    text = HUSUM_NORD.replace('art = "samarbejde"', 'art = "trivsel"')
    folder = _folder(tmp_path, "partnerskaber", ("AP",), {"HN.toml": text})
    monkeypatch.setenv("TRYGHED_PARTNERSKABER", str(folder))
    (tmp_path / "inbox").mkdir()
    assert main(["run", "--inbox", str(tmp_path / "inbox"), "--warehouse", str(tmp_path / "w")]) == 2
    err = capsys.readouterr().err
    assert "HN.toml: key 'maal[2].art': unknown kind of goal 'trivsel'" in err
    assert not (tmp_path / "w").exists()


# --- the files against the geo layers -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def geo_con():
    """The sample's geo folder (omraader.geojson and the city's rode layer) loaded as the pipeline loads it."""
    con = duckdb.connect()
    load_spatial(con)
    create_empty_raw_schema(con)
    ctx = LoadContext(PROJECT_ROOT / "data" / "sample", datetime(2026, 3, 1))
    load_source(con, geo.SOURCE, ctx)
    load_source(con, roder.SOURCE, ctx)
    yield con
    con.close()


def _build(con, tmp_path, text: str):
    path = tmp_path / "HN.toml"
    path.write_text(text, encoding="utf-8")
    return build_partnerships(con, (read_partnership(path),))


def test_an_unknown_rode_is_refused_naming_the_file_and_the_key(geo_con, tmp_path):
    with pytest.raises(ConfigError) as error:
        _build(geo_con, tmp_path, HUSUM_NORD.replace("roder = [262, 263, 264]", "roder = [262, 264, 9999]"))
    assert "HN.toml: key 'dele[1].roder': unknown rode 9999" in str(error.value)


def test_overlapping_parts_are_refused_naming_the_file_and_the_key(geo_con, tmp_path):
    with pytest.raises(ConfigError) as error:
        _build(geo_con, tmp_path, HUSUM_NORD.replace("roder = [262, 263, 264]", "roder = [262, 264, 266]"))
    assert "HN.toml: key 'dele[1]': part HN_OEST overlaps part HN_VEST (dele[0])" in str(error.value)


def test_an_attribute_value_no_rode_has_is_refused(geo_con, tmp_path):
    with pytest.raises(ConfigError) as error:
        _build(geo_con, tmp_path, HUSUM_NORD.replace('kvarternavn = "Husum Nord"', 'kvarternavn = "Husum Syd"'))
    assert "key 'graenser[0].rode_attribut.kvarternavn': no rode in geo/rode.geojson has kvarternavn Husum Syd" \
        in str(error.value)


# --- whole runs -------------------------------------------------------------------------------------------
def _run(inbox: Path, warehouse: Path, folder: Path, monkeypatch) -> dict[str, pd.DataFrame]:
    monkeypatch.setenv("TRYGHED_PARTNERSKABER", str(folder))
    assert main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)]) == 0
    return {m: pd.read_parquet(warehouse / "marts" / f"{m}.parquet") for m in mart_names()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The same inbox run twice: with Amager alone, and with Amager, Tingbjerg-Husum and a third file."""
    monkeypatch = pytest.MonkeyPatch()
    root = tmp_path_factory.mktemp("partnerskaber")
    inbox = root / "inbox"
    samplegen.generate(inbox, years=YEARS, scale=SCALE)
    alone = _run(inbox, root / "alene", _folder(root, "alene_filer", ("AP",)), monkeypatch)
    three = _folder(root, "tre_filer", ("AP", "THP"), {"HN.toml": HUSUM_NORD})
    together = _run(inbox, root / "sammen", three, monkeypatch)
    monkeypatch.undo()
    return inbox, root / "sammen", alone, together


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows as sortable text: doubles to 9 significant digits (sums may be added up in another order)."""
    frame = frame[[c for c in frame.columns if c not in KEY_COLUMNS]].copy()
    for column in frame.columns:
        if pd.api.types.is_float_dtype(frame[column]):
            frame[column] = frame[column].map(lambda v: "" if pd.isna(v) else f"{v:.9g}")
        else:
            frame[column] = frame[column].astype(str)
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


OTHER_PARTNERSHIPS_SOURCES = ("befolkning_kvadratnet", "lbf", "tryghedsplan")


def test_amager_is_the_same_with_and_without_the_other_partnerships(runs):
    _inbox, _wh, alone, together = runs
    others = set(together["dim_omraade"].query("partnerskab_kode in ['THP', 'HN']")["omraade_kode"])
    for mart, before in alone.items():
        if mart in ("fct_datadaekning", "dim_partnerskab", "baseline"):
            continue
        after = together[mart]
        for column in ("omraade_kode", "partnerskab_kode"):
            if column in after:
                after = after[~after[column].isin(others | {"THP", "HN"})]
        assert len(after) == len(before), mart
        pd.testing.assert_frame_equal(_comparable(after), _comparable(before), obj=mart)
    # the new key column: Amager's rows carry AP, the municipality and districts none
    dim = together["dim_omraade"]
    assert set(dim[dim["omraade_kode"].str.startswith(("AP", "BO_"))]["partnerskab_kode"]) <= {"AP", "THP"}
    assert dim[dim["niveau"].isin(["kommune", "bydel"])]["partnerskab_kode"].isna().all()
    # coverage counts the other partnerships' files too, its years are the same
    assert alone["fct_datadaekning"][["kilde", "aar", "status"]].equals(
        together["fct_datadaekning"][["kilde", "aar", "status"]])


def _roder_union(inbox: Path, attribute: str, value: str):
    document = json.loads((inbox / "geo" / "rode.geojson").read_text(encoding="utf-8"))
    to_utm = pyproj.Transformer.from_crs(4326, 25832, always_xy=True)
    pieces = [shapely.transform(shapely.make_valid(shape(f["geometry"])),
                                lambda c: np.column_stack(to_utm.transform(c[:, 0], c[:, 1])))
              for f in document["features"] if (f["properties"].get(attribute) or "").strip() == value]
    return shapely.union_all(pieces)


def _reports(inbox: Path) -> pd.DataFrame:
    """Every police report once (the latest delivery wins), read here from the files."""
    frames = []
    for path in sorted((inbox / "police").glob("anmeldelser_*.csv*")):
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        frames.append(pd.read_csv(io.BytesIO(raw), sep=";", dtype=str, encoding="utf-8-sig"))
    reports = pd.concat(frames).sort_values("leveret_dato").drop_duplicates("journalnr", keep="last")
    codes = pd.read_csv(PROJECT_ROOT / "dbt_project" / "seeds" / "gerningskoder.csv", sep=";", dtype=str)
    borgervendt = set(codes[codes["borgervendt"] == "1"]["gerningskode"])
    reports = reports[reports["gerningskode"].isin(borgervendt) & reports["x_utm32"].notna()]
    return reports.assign(aar=reports["anmeldt_dato"].str[:4].astype(int),
                          x=reports["x_utm32"].str.replace(",", ".").astype(float),
                          y=reports["y_utm32"].str.replace(",", ".").astype(float))


def test_a_third_partnership_is_one_file_and_gets_its_figures_and_its_report(runs):
    inbox, warehouse, _alone, together = runs
    area = _roder_union(inbox, "kvarternavn", "Husum Nord")
    dim = together["dim_omraade"].set_index("omraade_kode")
    assert dim.loc["HN", "partnerskab_kode"] == "HN" and dim.loc["HN_VEST", "overordnet_kode"] == "HN"
    assert dim.loc["HN", "areal_km2"] == pytest.approx(area.area / 1e6, rel=1e-4)

    reports = _reports(inbox)
    inside = reports[shapely.contains_xy(area, reports["x"].to_numpy(), reports["y"].to_numpy())]
    expected = inside.groupby("aar").size()
    assert expected.sum() > 50  # enough reports in the area for the comparison to mean something
    crime = together["fct_kriminalitet"]
    mine = crime[(crime["omraade_kode"] == "HN") & (crime["gruppe"] == "borgervendt_i_alt")
                 & crime["har_levering"]].set_index("aar")["antal_anmeldelser"]
    for year in range(YEARS[0], YEARS[1] + 1):
        assert mine[year] == expected.get(year, 0), year
    assert crime[crime["omraade_kode"] == "HN"]["baseline_aar"].eq(2023).all()

    goals = together["fct_maalopfyldelse"]
    hn = goals[goals["partnerskab_kode"] == "HN"]
    assert set(hn["maal_id"]) == {"1", "2", "3"} and (hn["omraade_kode"] == "HN").all()
    crime_goal = hn[(hn["maal_id"] == "2") & (hn["status_aar"] == YEARS[1])].iloc[0]
    assert crime_goal["vaerdi"] == expected.get(YEARS[1] - 1, 0)
    assert crime_goal["maalvaerdi"] == expected.get(2023, 0)
    assert crime_goal["opfyldt"] == (expected.get(YEARS[1] - 1, 0) <= expected.get(2023, 0))
    baseline = together["baseline"]
    assert baseline[baseline["partnerskab_kode"] == "HN"]["baseline_antal"].tolist() == [expected.get(2023, 0)]

    for code in ("AP", "THP", "HN"):
        report = warehouse / "reports" / code / f"status_{YEARS[1]}.html"
        assert report.exists() and report.with_suffix(".pdf").exists()
    html = (warehouse / "reports" / "HN" / f"status_{YEARS[1]}.html").read_text(encoding="utf-8")
    assert "Husum Nord Partnerskab – status for" in html and "aftaleperioden 2024–2026" in html
    assert "Amager" not in html.split("<main>")[1].split("Datagrundlag")[0]


def test_an_area_file_with_other_codes_and_three_districts_runs(tmp_path, monkeypatch):
    """No area code is expected by the checks: the municipality, three districts and a partnership of
    other codes make a valid inbox; every district figure is there for the three."""
    inbox = tmp_path / "inbox"
    samplegen.generate(inbox, years=(2024, 2025), scale=0.1)
    path = inbox / "geo" / "omraader.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    renamed = {"AP": "AMA", "AP_OPR": "AMA_GL", "BY09": "D_OEST", "BY10": "D_VEST", "BY03": "D_NORD"}
    kept = []
    for feature in document["features"]:
        props = feature["properties"]
        if props["omraade_kode"] in ("101", *renamed):
            props["omraade_kode"] = renamed.get(props["omraade_kode"], props["omraade_kode"])
            props["overordnet_kode"] = "101" if props["overordnet_kode"] else None
            kept.append(feature)
    document["features"] = kept
    path.write_text(json.dumps(document), encoding="utf-8")
    text = (PROJECT_FILES / "AP.toml").read_text(encoding="utf-8")
    start = text.index("# --- Parts")
    end = text.index("# --- Parties")
    text = (text[:start] + text[end:]).replace('geo = ["AP"]', 'geo = ["AMA"]').replace('geo = ["AP_OPR"]',
                                                                                        'geo = ["AMA_GL"]')
    text = text.replace('kode = "AP"\n', 'kode = "AMA"\n').replace('kode = "AP_OPR"', 'kode = "AMA_GL"')
    folder = tmp_path / "partnerskaber"
    folder.mkdir()
    (folder / "AP.toml").write_text(text, encoding="utf-8")
    marts = _run(inbox, tmp_path / "w", folder, monkeypatch)
    dim = marts["dim_omraade"]
    assert sorted(dim["omraade_kode"]) == ["101", "AMA", "AMA_GL", "D_NORD", "D_OEST", "D_VEST"]
    tryghed = marts["fct_tryghed"]
    kk = tryghed[(tryghed["kilde"] == "kk") & (tryghed["aar"] == 2025)]
    assert {"101", "D_NORD", "D_OEST", "D_VEST", "AMA"} <= set(kk["omraade_kode"])
    goals = marts["fct_maalopfyldelse"]
    assert set(goals["omraade_kode"]) == {"AMA"} and set(goals["partnerskab_kode"]) == {"AP"}
