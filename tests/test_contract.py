"""Parsing inbox files against the contract: good files load with lineage, bad ones name file, line, column."""

from __future__ import annotations

import hashlib
import shutil

import openpyxl
import pytest

from assets.ingest.contract import ContractError
from assets.ingest.loading import load_source
from assets.ingest.sources import aktiviteter, befolkning_kvadratnet, dst, geo, kk_befolkning, lbf, police, survey_kk
from tests.conftest import FIXTURES, write

SURVEY_HEADER = "aar;respondent_id;bydel_nr;x_utm32;y_utm32;vaegt;tryg_nabolag;tryg_aften_nat;koen;aldersgruppe\n"
POLICE_HEADER = ("journalnr;anmeldt_dato;gerning_fra;gerning_til;gerningskode;gerningskode_tekst;kommunekode;"
                 "x_utm32;y_utm32;leveret_dato\n")


def test_survey_loads_with_bom_decimal_comma_and_lineage(con, inbox, ctx):
    path = write(inbox, "survey_kk/tryghedsundersoegelse_2024.csv",
                 "\ufeff" + SURVEY_HEADER.upper().replace("AAR", "Aar")
                 + "2024;r1;10;726050;6173050;1,25;1;2;M;18-29\n2024;r2;99;;;0,5;9;;K;65+\n")
    stats = load_source(con, survey_kk.SOURCE, ctx)
    assert stats["raekker"] == 2
    rows = con.execute("select respondent_id, vaegt, x_utm32, tryg_aften_nat, kildefil, kilde_sha256, kildelinje "
                       "from raw.survey_kk order by kildelinje").fetchall()
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert rows == [
        ("r1", 1.25, 726050.0, 2, "survey_kk/tryghedsundersoegelse_2024.csv", sha, 2),
        ("r2", 0.5, None, None, "survey_kk/tryghedsundersoegelse_2024.csv", sha, 3),
    ]


@pytest.mark.parametrize(
    ("body", "line", "column", "words"),
    [
        ("2024;r1;10;;;abc;1;1;M;18-29\n", 2, "vaegt", "not a valid number"),
        ("2024;r1;10;;;1;7;1;M;18-29\n", 2, "tryg_nabolag", "1–5 or 9"),
        ("2024;r1;10;;;0;1;1;M;18-29\n", 2, "vaegt", "> 0"),
        ("2024;r1;10;;;1;1;1;M;18-29\n2024;r1;9;;;1;1;1;K;65+\n", 3, "respondent_id", "duplicate"),
        ("2024;r1;10;12.6;55.66;1;1;1;M;18-29\n", 2, "x_utm32", "lon/lat"),
        ("2023;r1;10;;;1;1;1;M;18-29\n", 2, "aar", "year 2024"),
        ("2024;r1;11;;;1;1;1;M;18-29\n", 2, "bydel_nr", "1–10 or 99"),
    ],
)
def test_survey_contract_violations_name_line_and_column(con, inbox, ctx, body, line, column, words):
    write(inbox, "survey_kk/tryghedsundersoegelse_2024.csv", SURVEY_HEADER + body)
    with pytest.raises(ContractError) as err:
        load_source(con, survey_kk.SOURCE, ctx)
    assert (err.value.file, err.value.line, err.value.column) == (
        "survey_kk/tryghedsundersoegelse_2024.csv", line, column)
    assert words in str(err.value)


def test_header_problems(con, inbox, ctx):
    write(inbox, "survey_kk/tryghedsundersoegelse_2024.csv", SURVEY_HEADER.replace(";", ","))
    with pytest.raises(ContractError, match="wrong separator: expected ';'"):
        load_source(con, survey_kk.SOURCE, ctx)
    write(inbox, "survey_kk/tryghedsundersoegelse_2024.csv", SURVEY_HEADER.replace("vaegt;", ""))
    with pytest.raises(ContractError, match="column 'vaegt': required column is missing"):
        load_source(con, survey_kk.SOURCE, ctx)
    write(inbox, "survey_kk/tryghedsundersoegelse_2024.csv", "")
    with pytest.raises(ContractError, match="line 1: the file is empty"):
        load_source(con, survey_kk.SOURCE, ctx)
    write(inbox, "survey_kk/tryghedsundersoegelse_2024.csv", SURVEY_HEADER + "2024;r1;10;;;1;1;1;M;Ældre\n",
          encoding="latin-1")
    with pytest.raises(ContractError, match="UTF-8"):
        load_source(con, survey_kk.SOURCE, ctx)
    write(inbox, "survey_kk/tryghedsundersoegelse_2024.csv", SURVEY_HEADER + "2024;r1;10;;;1;1;1;M\n")
    with pytest.raises(ContractError, match="line 2: wrong number of fields"):
        load_source(con, survey_kk.SOURCE, ctx)


def test_police_gzip_identical_repeats_ok_conflicts_refused(con, inbox, ctx):
    row = "0100-80150-00001-24;2024-03-01;2024-02-29 22:00:00;;1220;Simpel vold;101;726000;6173000;2025-01-10\n"
    write(inbox, "police/anmeldelser_2024.csv.gz", POLICE_HEADER + row + row)
    assert load_source(con, police.SOURCE, ctx)["raekker"] == 2  # exact repeats: dbt counts them once
    changed = row.replace("1220;Simpel vold", "1230;Grov vold")
    write(inbox, "police/anmeldelser_2024.csv.gz", POLICE_HEADER + row + changed)
    with pytest.raises(ContractError) as err:
        load_source(con, police.SOURCE, ctx)
    assert (err.value.line, err.value.column) == (3, "journalnr")
    assert "different content" in str(err.value)
    # an identical repeat before the changed row is not the offence: the changed row's line is named
    write(inbox, "police/anmeldelser_2024.csv.gz", POLICE_HEADER + row + row + changed)
    with pytest.raises(ContractError, match="line 4, column 'journalnr'.*first seen on line 2"):
        load_source(con, police.SOURCE, ctx)


def test_police_rows_of_any_year_load(con, inbox, ctx):
    """Decision 12: a 2024 delivery may hold a late-registered report of 2023; the file name is no filter."""
    write(inbox, "police/anmeldelser_2024_rettelser.csv",
          POLICE_HEADER + "0100-1;2023-12-31;;;1220;Simpel vold;101;;;2025-02-01\n")
    assert load_source(con, police.SOURCE, ctx)["raekker"] == 1
    assert con.execute("select anmeldt_dato from raw.police").fetchone()[0].year == 2023


def test_police_reported_after_delivery_is_refused(con, inbox, ctx):
    write(inbox, "police/anmeldelser_2024.csv",
          POLICE_HEADER + "0100-1;2024-12-31;;;1220;Simpel vold;101;;;2025-02-01\n"
          "0100-2;2025-02-02;;;1220;Simpel vold;101;;;2025-02-01\n")
    with pytest.raises(ContractError, match="anmeldelser_2024.csv, line 3, column 'anmeldt_dato': "
                                            "anmeldt_dato is after leveret_dato"):
        load_source(con, police.SOURCE, ctx)


def test_real_statbank_folk1a_export_loads(con, inbox, ctx):
    """A real StatBank API export (no CIVILSTAND column, no BOM) reads as it is."""
    (inbox / "dst").mkdir()
    shutil.copy(FIXTURES / "realdata" / "FOLK1A_jonasrex.csv", inbox / "dst" / "FOLK1A.csv")
    assert load_source(con, dst.FOLK1A, ctx)["raekker"] == 31_200
    assert con.execute("select omraade, koen, alder, civilstand, tid, indhold from raw.dst_folk1a "
                       "where kildelinje = 2").fetchone() == ("000", "1", "0", None, "2008K1", 32976.0)


def test_statbank_labels_instead_of_codes_are_refused(con, inbox, ctx):
    write(inbox, "dst/STRAF11.csv", "\ufeffOMRÅDE;OVERTRÆD;TID;INDHOLD\nKøbenhavn;Straffelov i alt;2024K1;21000\n")
    with pytest.raises(ContractError, match="line 2, column 'OMRÅDE'.*codes, not labels"):
        load_source(con, dst.STRAF11, ctx)


def test_statbank_missing_marker(con, inbox, ctx):
    write(inbox, "dst/STRAF11.csv", "\ufeffOMRÅDE;OVERTRÆD;TID;INDHOLD\n101;TOT;2024K1;21000\n101;TOT;2024K2;..\n")
    load_source(con, dst.STRAF11, ctx)
    assert con.execute("select tid, indhold from raw.dst_straf11 order by tid").fetchall() == [
        ("2024K1", 21000.0), ("2024K2", None)]


def test_kk_population_is_comma_separated(con, inbox, ctx):
    write(inbox, "kk_befolkning/befkbhalderstatkode.csv", "AAR,BYDEL,ALDER,STATKODE,PERSONER\n2024,10,30,5100,812\n")
    load_source(con, kk_befolkning.SOURCE, ctx)
    assert con.execute("select aar, bydel, personer from raw.kk_befolkning").fetchone() == (2024, 10, 812)


def test_grid_cell_centre_and_suppression(con, inbox, ctx):
    write(inbox, "befolkning_kvadratnet/befolkning_100m_2024.csv.gz",
          "aar;celle_id;aldersgruppe;personer\n2024;100m_61742_7252;18-64;37\n2024;100m_61742_7253;18-64;..\n")
    load_source(con, befolkning_kvadratnet.SOURCE, ctx)
    assert con.execute("select celle_x_utm32, celle_y_utm32, personer, undertrykt from raw.befolkning_kvadratnet "
                       "order by celle_id").fetchall() == [
        (725250.0, 6174250.0, 37, False), (725350.0, 6174250.0, None, True)]


def _workbook(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


LBF_HEADER = ["År", "Boligorganisation", "Afdelingsnr", "Afdelingsnavn", "Beboere i alt",
              "Andel 18-64 uden for arbejde og uddannelse (%)", "Andel 30-59 med kun grundskole (%)",
              "Gns. bruttoindkomst 15-64 ift. regionen (%)", "Andel ikke-vestlige indvandrere og efterkommere (%)",
              "Andel dømte ift. landsgennemsnittet (faktor)", "Andel elever med over 10 % fravær (%)",
              "Andel 10-17-årige uden fritidsaktivitet (%)"]


def test_lbf_excel_with_title_rows_and_suppressed_cells(con, inbox, ctx):
    _workbook(inbox / "lbf" / "beboerdata_2024.xlsx", [
        ["Landsbyggefonden – beboerdata 2024"], [],
        LBF_HEADER,
        [2024, "3B", "1042", "Urbanplanen I", 1830, 41.5, "*", 52.0, 61.0, 2.4, None, 30.0],
    ])
    load_source(con, lbf.SOURCE, ctx)
    assert con.execute("select afdelingsnr, beboere_i_alt, pct_uden_arbejde_uddannelse, pct_kun_grundskole, "
                       "pct_elever_over_10pct_fravaer, kildelinje from raw.lbf").fetchone() == (
        "1042", 1830, 41.5, None, None, 4)


def test_excel_without_header_row(con, inbox, ctx):
    _workbook(inbox / "lbf" / "beboerdata_2024.xlsx", [["Landsbyggefonden"], [2024, "3B", "1042"]])
    with pytest.raises(ContractError, match="lbf/beboerdata_2024.xlsx, line 1: no header row"):
        load_source(con, lbf.SOURCE, ctx)


def test_activities_unknown_focus_area(con, inbox, ctx):
    write(inbox, "aktiviteter/tryghedsplan_2025.csv",
          "aar;aktivitet_id;titel;indsatsomraade;partnere;budget_kr;status\n2025;A1;Natteravne;5;KAB;1000;igang\n")
    with pytest.raises(ContractError, match="line 2, column 'indsatsomraade': indsatsomraade must be 1–4"):
        load_source(con, aktiviteter.SOURCE, ctx)


def test_real_city_district_layer_is_reprojected(con, inbox, ctx):
    """The city's WFS export (EPSG:4326 in `crs`) becomes districts BY01–BY10 in EPSG:25832."""
    (inbox / "geo").mkdir()
    shutil.copy(FIXTURES / "realdata" / "bydel_wfs_2023.geojson", inbox / "geo" / "bydele.geojson")
    assert load_source(con, geo.SOURCE, ctx)["raekker"] == 10
    import json

    published = {f["properties"]["bydel_nr"]: float(f["properties"]["areal_m2"])
                 for f in json.loads((inbox / "geo" / "bydele.geojson").read_text())["features"]}
    for code, nr, area in con.execute(
            "select omraade_kode, bydel_nr, ST_Area(ST_GeomFromText(geometri_wkt)) from raw.geo_omraader").fetchall():
        assert code == f"BY{nr:02d}"
        assert area == pytest.approx(published[nr], rel=0.01)  # the city's own area, in m²


def test_self_intersecting_polygon_is_refused(con, inbox, ctx):
    bowtie = [[[725000, 6173000], [726000, 6174000], [726000, 6173000], [725000, 6174000], [725000, 6173000]]]
    import json

    write(inbox, "geo/omraader.geojson", json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}},
        "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": bowtie},
                      "properties": {"omraade_kode": "AP", "navn": "x", "niveau": "partnerskab"}}],
    }))
    with pytest.raises(ContractError, match="geo/omraader.geojson, line 1, column 'geometry': invalid polygon"):
        load_source(con, geo.SOURCE, ctx)


def test_failed_file_leaves_nothing_half_loaded_in_the_table(con, inbox, ctx):
    write(inbox, "survey_kk/tryghedsundersoegelse_2023.csv", SURVEY_HEADER + "2023;r1;10;;;1;1;1;M;18-29\n")
    write(inbox, "survey_kk/tryghedsundersoegelse_2024.csv", SURVEY_HEADER + "2024;r1;10;;;x;1;1;M;18-29\n")
    con.execute("begin transaction")
    with pytest.raises(ContractError):
        load_source(con, survey_kk.SOURCE, ctx)
    con.execute("rollback")
    assert con.execute("select count(*) from raw.survey_kk").fetchone()[0] == 0


# values the reader's own typing (the fast path) parses must come out exactly as the text path types them
READER_CASES = {
    "INTEGER": ["12", "12.0", " 12 ", "+5", "-0", "1e3", "", "12,0", "12.5", "NA", "0x10", "2147483648"],
    "BIGINT": ["12", "12.0", "12.5", "9007199254740993", "x"],
    "DOUBLE": ["1.5", " 2 ", "1e3", ".5", "5.", "inf", "1,5", "abc"],
    "DATE": ["2017-01-01", " 2017-01-01", "2017-1-1", "2017/01/01", "2017-01-01 00:00:00", "01-01-2017"],
    "TIMESTAMP": ["2017-01-01 06:00:00", "2017-01-01T06:00:00", "2017-01-01", "2017-01-01 06:00:00.5", "x"],
    "BOOLEAN": ["true", "1", "t", "FALSE", "ja"],
}


@pytest.mark.parametrize("type_", sorted(READER_CASES))
def test_reader_typing_equals_text_typing(tmp_path, type_):
    import duckdb

    from assets.ingest.casting import cast_expr, typed_by_reader
    from assets.ingest.raw_schema import Column, RawTable
    from assets.ingest.readers import csv_rows

    con = duckdb.connect()
    table = RawTable("t", (Column("a", "VARCHAR"), Column("b", type_)))
    for value in READER_CASES[type_]:
        path = tmp_path / "x.csv"
        path.write_text(f"a;b\nx;{value}\n", encoding="utf-8")
        rows = csv_rows(path, "x.csv", ["a", "b"], ";")
        text = con.execute(f"select {cast_expr('c1', type_, ())} from {rows.relation}", list(rows.params)).fetchall()
        if typed_by_reader(con, rows, table, {"a": 0, "b": 1}, (), []) is not None:
            # the reader took the file: its value is the text path's
            assert con.execute("select b from _typed").fetchall() == text, (type_, value)
        # otherwise the text path types the file (and names the value if it is not valid)
    if type_ in ("INTEGER", "BIGINT"):
        path.write_text("a;b\nx;12.5\n", encoding="utf-8")
        rows = csv_rows(path, "x.csv", ["a", "b"], ";")
        assert con.execute(f"select {cast_expr('c1', type_, ())} from {rows.relation}",
                           list(rows.params)).fetchall() == [(None,)]  # never rounded to 13


def test_reload_reads_only_new_and_changed_files_and_equals_a_fresh_load(con, inbox, ctx, tmp_path):
    import duckdb

    row = "2024;r{i};10;726050;6173050;1,25;1;2;M;18-29\n"
    for year in (2022, 2023, 2024):
        write(inbox, f"survey_kk/tryghedsundersoegelse_{year}.csv",
              SURVEY_HEADER + "".join(row.replace("2024", str(year)).format(i=i) for i in range(3)))
    load_source(con, survey_kk.SOURCE, ctx)
    # 2022 is withdrawn, 2023 corrected, 2025 new, 2024 unchanged
    (inbox / "survey_kk/tryghedsundersoegelse_2022.csv").unlink()
    write(inbox, "survey_kk/tryghedsundersoegelse_2023.csv", SURVEY_HEADER + row.replace("2024", "2023").format(i=9))
    write(inbox, "survey_kk/tryghedsundersoegelse_2025.csv", SURVEY_HEADER + row.replace("2024", "2025").format(i=7))
    stats = load_source(con, survey_kk.SOURCE, ctx)
    assert {f["fil"].split("_")[-1]: f["genbrugt"] for f in stats["filer"]} == {
        "2023.csv": False, "2024.csv": True, "2025.csv": False}
    assert stats["raekker"] == 1 + 3 + 1

    fresh = duckdb.connect(str(tmp_path / "fresh.duckdb"))
    fresh.execute("create schema raw")
    load_source(fresh, survey_kk.SOURCE, ctx)
    query = "select * exclude (indlaest) from raw.survey_kk order by kildefil, kildelinje"
    assert con.execute(query).fetchall() == fresh.execute(query).fetchall()


def test_a_changed_contract_reloads_every_file(con, inbox, ctx, monkeypatch):
    from assets.ingest import loading

    write(inbox, "survey_kk/tryghedsundersoegelse_2024.csv", SURVEY_HEADER + "2024;r1;10;;;1;1;1;M;18-29\n")
    load_source(con, survey_kk.SOURCE, ctx)
    assert [f["genbrugt"] for f in load_source(con, survey_kk.SOURCE, ctx)["filer"]] == [True]
    monkeypatch.setattr(loading, "contract_fingerprint", lambda source: "kontrakt:another")
    assert [f["genbrugt"] for f in load_source(con, survey_kk.SOURCE, ctx)["filer"]] == [False]
    assert con.execute("select count(*) from raw.survey_kk").fetchone()[0] == 1


def test_line_numbers_hold_in_a_large_file_loaded_in_a_transaction(con, inbox, ctx):
    """Several row groups read in parallel: lineage and error lines are still the file's lines."""
    n = 300_000
    body = "".join(f"0100-{i:08d};2024-03-01;;;1220;Simpel vold;101;726000;6173000;2025-01-10\n" for i in range(n))
    write(inbox, "police/anmeldelser_2024.csv", POLICE_HEADER + body)
    con.execute("begin transaction")
    load_source(con, police.SOURCE, ctx)
    wrong = con.execute("select count(*) from raw.police where kildelinje <> cast(journalnr[6:] as bigint) + 2"
                        ).fetchone()[0]
    con.execute("commit")
    assert wrong == 0
    lines = body.splitlines(keepends=True)
    lines[250_000 - 2] = lines[250_000 - 2].replace(";1220;", ";12x0;")
    write(inbox, "police/anmeldelser_2024.csv", POLICE_HEADER + "".join(lines))
    con.execute("begin transaction")
    with pytest.raises(ContractError, match="line 250000, column 'gerningskode'.*'12x0'"):
        load_source(con, police.SOURCE, ctx)
    con.execute("rollback")


def test_a_fraction_in_a_whole_number_column_is_refused_not_rounded(con, inbox, ctx):
    write(inbox, "survey_kk/tryghedsundersoegelse_2024.csv",
          SURVEY_HEADER + "2024;r1;10;;;1;1;2;M;18-29\n2024;r2;10;;;1;1,5;2;K;18-29\n")
    with pytest.raises(ContractError, match="line 3, column 'tryg_nabolag': value '1,5' is not a valid whole number"):
        load_source(con, survey_kk.SOURCE, ctx)
    write(inbox, "police/anmeldelser_2024.csv",
          POLICE_HEADER + "0100-1;2024-03-01;;;1220.5;Simpel vold;101;;;2025-02-01\n")
    with pytest.raises(ContractError, match="line 2, column 'gerningskode': value '1220.5' is not a valid whole"):
        load_source(con, police.SOURCE, ctx)


def test_lines_fall_back_to_an_explicit_count_when_row_numbers_have_gaps():
    import duckdb

    from assets.ingest.casting import line_by_position

    con = duckdb.connect()
    con.execute("create temp table _typed as select range as v from range(5)")
    assert con.execute(f"select {line_by_position(con, 2)} from _typed order by v").fetchall() == [
        (2,), (3,), (4,), (5,), (6,)]
    con.execute("delete from _typed where v = 2")  # rowids 0, 1, 3, 4: not one unbroken run
    assert line_by_position(con, 2) == "kildelinje"
    assert con.execute("select v, kildelinje from _typed order by v").fetchall() == [(0, 2), (1, 3), (3, 4), (4, 5)]
