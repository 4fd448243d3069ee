"""The sample generator: deterministic bytes, every contract folder, valid nested areas, contract shapes."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest
import shapely
from openpyxl import load_workbook
from shapely.geometry import shape

import samplegen
from assets.foundation.settings import PROJECT_ROOT
from samplegen import activities, geography, police, population, survey, tingbjerg

YEARS = (2023, 2025)
SCALE = 0.05
AREA_CODES = {"101", *(f"BY{i:02d}" for i in range(1, 11)), "AP", "AP_OPR", "AP_DEL_OPR", "AP_DEL_UDV",
              "BO_URBANPLANEN", "BO_HOERGAARDEN", "BO_REMISEVAENGET", "BO_GULLANDSGAARDEN", "BO_TELEMARK",
              "BO_STOEBERIGAARDEN", "BO_HOLMBLADSGADE"}


def _clear_caches() -> None:
    """Same process, fresh state: the second run must not reuse the first run's cached geometry or grid."""
    for fn in (geography.build_areas, population.build_grid, police._addresses, survey._city_cells):
        fn.cache_clear()


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, Path, dict[str, int]]:
    a, b = tmp_path_factory.mktemp("a"), tmp_path_factory.mktemp("b")
    _clear_caches()
    counts = samplegen.generate(a, years=YEARS, scale=SCALE)
    _clear_caches()
    samplegen.generate(b, years=YEARS, scale=SCALE)
    return a, b, counts


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _read_csv(path: Path, sep: str = ";") -> list[dict[str, str]]:
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=sep))


def test_same_seed_gives_identical_bytes(runs):
    a, b, _ = runs
    fa, fb = _files(a), _files(b)
    assert fa.keys() == fb.keys()
    assert [k for k in fa if fa[k] != fb[k]] == []


def test_other_seed_gives_other_data(runs, tmp_path):
    a, _, _ = runs
    _clear_caches()
    samplegen.generate(tmp_path, seed=7, years=YEARS, scale=SCALE)
    assert (a / "police" / "anmeldelser_2024.csv.gz").read_bytes() != \
        (tmp_path / "police" / "anmeldelser_2024.csv.gz").read_bytes()


def test_every_contract_folder_has_files(runs):
    a, _, counts = runs
    for folder in samplegen.SOURCES:
        assert any((a / folder).iterdir()), folder
        assert counts[folder] > 0, folder
    assert {p.name for p in (a / "aktiviteter").iterdir()} == {
        "tryghedsplan_2024.csv", "tryghedsplan_2025.csv", "tryghedsplan_2026.xlsx", "THP"}
    # the second partnership's plans in its own folder (extracts.md), the city's rode layer as delivered
    assert {p.name for p in (a / "aktiviteter" / "THP").iterdir()} == {
        "tryghedsplan_2024.csv", "tryghedsplan_2025.csv", "tryghedsplan_2026.csv"}
    # the real file when the shared folder sits beside the project, else the committed sample's copy of it
    real = Path(__file__).parents[2] / "shared" / "realdata" / "kk-rode-wfs-2023" / "rode.geojson"
    if not real.exists():
        real = Path(__file__).parents[1] / "data" / "sample" / "geo" / "rode.geojson"
    assert (a / "geo" / "rode.geojson").read_bytes() == real.read_bytes()


def test_geo_areas_are_valid_and_nest(runs):
    a, _, _ = runs
    fc = json.loads((a / "geo" / "omraader.geojson").read_text(encoding="utf-8"))
    assert fc["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::25832"
    props = {f["properties"]["omraade_kode"]: f["properties"] for f in fc["features"]}
    geoms = {f["properties"]["omraade_kode"]: shape(f["geometry"]) for f in fc["features"]}
    assert set(props) == AREA_CODES
    assert all(g.is_valid and g.area > 0 for g in geoms.values())
    assert {p["bydel_nr"] for p in props.values() if p["niveau"] == "bydel"} == set(range(1, 11))
    assert props["AP_OPR"]["gyldig_til"] == "2024-12-31" and props["AP"]["gyldig_fra"] == "2025-01-01"
    amager = geoms["BY09"].union(geoms["BY10"])
    assert geoms["AP"].difference(amager).area < 1
    assert geoms["AP_DEL_UDV"].intersection(geoms["AP_OPR"]).area < 1
    assert geoms["AP_DEL_UDV"].boundary.intersection(geoms["AP_OPR"].boundary).length > 100
    # AP is the union of both parts; snap-rounding may close gaps of a few square metres between them
    assert abs(geoms["AP"].area - geoms["AP_OPR"].area - geoms["AP_DEL_UDV"].area) < 50
    opr = geoms["AP_OPR"]
    assert opr.intersection(geoms["BY10"]).area > opr.intersection(geoms["BY09"]).area > 0  # straddles
    assert geoms["AP_DEL_UDV"].difference(geoms["BY09"]).area < 1
    for code, p in props.items():
        if p["niveau"] == "boligomraade":
            assert geoms[code].difference(geoms[p["overordnet_kode"]]).area < 1, code
    coords = re.findall(r"\d+\.\d+", (a / "geo" / "omraader.geojson").read_text(encoding="utf-8"))
    assert all(len(c.split(".")[1]) == 1 for c in coords[:2000])


def test_survey_shape(runs):
    a, _, _ = runs
    rows = _read_csv(a / "survey_kk" / "tryghedsundersoegelse_2024.csv")
    assert list(rows[0]) == ["aar", "respondent_id", "bydel_nr", "x_utm32", "y_utm32", "vaegt",
                             "tryg_nabolag", "tryg_aften_nat", "koen", "aldersgruppe"]
    assert len({r["respondent_id"] for r in rows}) == len(rows)
    assert {int(r["bydel_nr"]) for r in rows} <= set(range(1, 11)) | {99}
    assert all(float(r["vaegt"].replace(",", ".")) > 0 for r in rows)
    assert {r["tryg_nabolag"] for r in rows} <= {"1", "2", "3", "4", "5", "9", ""}
    placed = [r for r in rows if r["x_utm32"]]
    assert placed and all(int(r["x_utm32"]) % 100 == 50 and int(r["y_utm32"]) % 100 == 50 for r in placed)
    assert all(r["x_utm32"] == "" for r in rows if r["bydel_nr"] == "99")
    pub = _read_csv(a / "survey_kk_published" / "tryghed_publiceret.csv")
    assert {r["maal"] for r in pub} <= {"nabolag", "aften_nat"}


def test_survey_hits_the_agreements_2024_figures():
    _clear_caches()
    grid = population.build_grid(2025, (2024,))
    s = survey.draw(2025, 2024, grid, 1.0)
    for bydel, nab, aft in ((10, 0.91, 0.82), (9, 0.84, 0.70)):
        m = s.bydel == bydel
        assert survey.weighted_share(s.nab[m], s.w[m])[0] == pytest.approx(nab, abs=0.005)
        assert survey.weighted_share(s.aft[m], s.w[m])[0] == pytest.approx(aft, abs=0.005)
    assert 0.86 <= survey.weighted_share(s.nab, s.w)[0] <= 0.88


def test_police_deliveries(runs):
    a, _, _ = runs
    files = sorted((a / "police").glob("anmeldelser_*.csv.gz"))
    assert all(gzip.open(f).read(1) for f in files) and all(f.read_bytes()[4:8] == b"\0\0\0\0" for f in files)
    delivered = {f.name: _read_csv(f)[0]["leveret_dato"] for f in files}
    names = sorted(delivered)
    assert any(delivered[n1] > delivered[n2] for n1, n2 in zip(names, names[1:], strict=False)
               if n1[:16] == n2[:16]), "one year must have file-name order opposite to delivery order"
    seen: dict[tuple[str, str], tuple] = {}
    for f in files:
        for r in _read_csv(f):
            assert re.fullmatch(r"0100-80150-\d{5}-\d{2}", r["journalnr"])
            # a report may be of the year before (late registrations, decision 12): never of another year
            assert int(r["anmeldt_dato"][2:4]) in (int(r["journalnr"][-2:]), int(r["journalnr"][-2:]) - 1)
            assert r["kommunekode"] == "101"
            key, content = (r["journalnr"], r["leveret_dato"]), tuple(r.values())
            assert seen.setdefault(key, content) == content  # same delivery date, same content
            if r["gerning_til"]:
                assert r["gerning_fra"] <= r["gerning_til"] and r["gerning_til"][:10] <= r["anmeldt_dato"]
    assert len(seen) > len({k[0] for k in seen})  # some reports come again in a later delivery


def test_context_files(runs):
    a, _, _ = runs
    for table, header in (("STRAF11", "OMRÅDE;OVERTRÆD;TID;INDHOLD"),
                          ("FOLK1A", "OMRÅDE;KØN;ALDER;CIVILSTAND;TID;INDHOLD")):
        raw = (a / "dst" / f"{table}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf" + header.encode("utf-8") + b"\n")
    st = _read_csv(a / "dst" / "STRAF11.csv")
    v = {(r["OMRÅDE"], r["OVERTRÆD"], r["TID"]): r["INDHOLD"] for r in st}
    assert v[("101", "TOT", "2025K4")] == ".."
    k = ("101", "2024K2")
    assert int(v[(k[0], "TOT", k[1])]) == sum(int(v[(k[0], c, k[1])]) for c in ("1", "2", "3"))
    assert int(v[(k[0], "1", k[1])]) == sum(int(v[(k[0], c, k[1])]) for c in ("11", "12", "13", "14"))
    grid = _read_csv(a / "befolkning_kvadratnet" / "befolkning_100m_2024.csv.gz")
    assert all(re.fullmatch(r"100m_\d{5}_\d{4}", r["celle_id"]) for r in grid)
    by_cell: dict[str, set[bool]] = {}
    for r in grid:
        by_cell.setdefault(r["celle_id"], set()).add(r["personer"] == "..")
    assert all(len(s) == 1 for s in by_cell.values()) and any(True in s for s in by_cell.values())
    kk = _read_csv(a / "kk_befolkning" / "befkbhalderstatkode.csv", sep=",")
    assert {int(r["BYDEL"]) for r in kk} == set(range(1, 11)) | {99}


def test_lbf_excel_has_title_rows_and_contract_header(runs):
    a, _, _ = runs
    for f in sorted((a / "lbf").glob("beboerdata_*.xlsx")):
        rows = list(load_workbook(f, read_only=True).worksheets[0].iter_rows(values_only=True))
        header_at = next(i for i, r in enumerate(rows) if r and r[0] == "År")
        assert header_at >= 1
        assert tuple(rows[header_at]) == samplegen.context.LBF_HEADER
        assert len(rows) - header_at - 1 == len(samplegen.context.DEPARTMENTS) + len(tingbjerg.departments())


def test_activities_partners_are_all_in_the_alias_list(runs):
    a, _, _ = runs
    aliases = {activities.normalise(alias): party for alias, (party, _kind) in _aliases("AP").items()}
    shares = {}
    for year in (2024, 2025):
        rows = _read_csv(a / "aktiviteter" / f"tryghedsplan_{year}.csv")
        assert 30 <= len(rows) <= 45
        assert abs(sum(int(r["budget_kr"]) for r in rows) - 1_900_000) < 50_000
        live = [r for r in rows if r["status"] != "aflyst"]
        multi = [len({aliases[activities.normalise(p)] for p in r["partnere"].split(",")}) >= 2 for r in live]
        shares[year] = np.mean(multi)
    assert shares[2024] < 0.75 <= shares[2025]


def _aliases(code: str) -> dict[str, tuple[str, str]]:
    """Every spelling of the partnership file's parties (read with tomllib here, not with the project's loader)."""
    document = tomllib.loads((PROJECT_ROOT / "partnerskaber" / f"{code}.toml").read_text(encoding="utf-8"))
    return {activities.normalise(alias): (p["navn"], p["type"])
            for p in document["parter"] for alias in [p["navn"], *p.get("aliaser", [])]}


def _departments(code: str) -> dict[tuple[str, str], str]:
    document = tomllib.loads((PROJECT_ROOT / "partnerskaber" / f"{code}.toml").read_text(encoding="utf-8"))
    return {(org, nr): b["kode"] for b in document["boligomraader"] for org, nr in b.get("lbf_afdelinger", [])}


def test_generator_names_only_what_the_partnership_files_map():
    """The partnerships' files are the one list (the pipeline reads them); every partner spelling the generator
    types normalises to an alias of the right party, and every housing department it writes is mapped to its area."""
    aliases = _aliases("AP")
    for party, spellings in activities.PARTS.items():
        for spelling in [party, *spellings]:
            assert aliases[activities.normalise(spelling)] == (party, "part"), spelling
    for collaborator in activities.COLLABORATORS:
        for spelling in [collaborator, *activities._COLLAB_SPELLINGS.get(collaborator, [])]:
            assert aliases[activities.normalise(spelling)] == (collaborator, "samarbejdspartner"), spelling
    written = {(org, nr): code for org, nr, _navn, code, _n, _kind in samplegen.context.DEPARTMENTS}
    assert written == _departments("AP")
    written = {(org, nr): code for org, nr, _navn, code, _n, _kind in tingbjerg.departments()}
    assert written == _departments("THP")
    thp = _aliases("THP")
    for year in (2024, 2025):
        for row in tingbjerg._activities(year, 2025):
            assert all(activities.normalise(name) in thp for name in row[4].split(",")), row


def test_geometry_snapped_to_decimetres():
    for area in geography.build_areas():
        xy = shapely.get_coordinates(area.geom)
        assert np.allclose(xy * 10, np.round(xy * 10), atol=1e-6), area.code
