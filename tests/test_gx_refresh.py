"""Issue 15: the raw GX checks validate only new and changed files (expectations/record.py).

A file that passed its table's suite with the same sha256 is not validated again; the rules over the whole
history (a journal number delivered twice with other content, duplicates across files) are evaluated for
the keys the new rows touch, against every row. The outcomes must equal a full validation's: the same
failure (file, line, column, count, example) for a bad row in a new file, the same warnings, and for an
unchanged table the recorded outcomes, passed.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.ingest.raw_schema import create_empty_raw_schema
from expectations.record import read_records, write_records
from expectations.runner import validate_tables
from expectations.suites import SUITES, Suite

POLICE_COLUMNS = ("journalnr, anmeldt_dato, gerning_fra, gerning_til, gerningskode, gerningskode_tekst, "
                  "kommunekode, x_utm32, y_utm32, leveret_dato, kildefil, kilde_sha256, kildelinje, indlaest")
SURVEY_COLUMNS = ("aar, respondent_id, bydel_nr, x_utm32, y_utm32, vaegt, tryg_nabolag, tryg_aften_nat, koen, "
                  "aldersgruppe, kildefil, kilde_sha256, kildelinje, indlaest")


def _police_file(year: int, n: int, sha: str, faults=()) -> list[list]:
    rel = f"police/anmeldelser_{year}.csv"
    rows = [[f"0100-{year}-{i:05d}", f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}", None, None, 1220,
             "Simpel vold", 101, 724_000.0 + i, 6_172_000.0 + i, f"{year + 1}-01-10", rel, sha, i + 2,
             datetime(2026, 3, 1)] for i in range(n)]
    for fault in faults:
        fault(rows)
    return rows


def _insert(db: Path, table: str, columns: str, rows: list, *, create: bool = False) -> None:
    con = duckdb.connect(str(db))
    if create:
        create_empty_raw_schema(con)
    con.executemany(f"insert into {table} ({columns}) values ({', '.join('?' * 14)})", rows)
    con.close()


def _replace_file(db: Path, table: str, rel: str, columns: str, rows: list) -> None:
    con = duckdb.connect(str(db))
    con.execute(f"delete from {table} where kildefil = ?", [rel])
    con.close()
    _insert(db, table, columns, rows)


def _record(db: Path, results) -> None:
    with duckdb.connect(str(db)) as con:
        write_records(con, [r.record for r in results.values() if r.record is not None and r.passed])


def _seen(result) -> list[tuple]:
    return [(o.expectation, o.column, o.success, o.unexpected_count, o.description, o.kildefil, o.kildelinje)
            for o in result.outcomes]


def _unmapped_code(rows):
    rows[3][4] = 1499  # not in gerningskoder.csv: a warning, in an old file


@pytest.fixture
def police(tmp_path) -> Path:
    """Two deliveries that pass (one with a warning), validated and recorded."""
    db = tmp_path / "w.duckdb"
    _insert(db, "raw.police", POLICE_COLUMNS, _police_file(2023, 400, "a" * 64, [_unmapped_code]), create=True)
    _insert(db, "raw.police", POLICE_COLUMNS, _police_file(2024, 400, "b" * 64))
    first = validate_tables(db, ["raw.police"])
    assert first["raw.police"].mode == "all" and first["raw.police"].passed
    _record(db, first)
    return db


def test_unchanged_table_is_not_validated_again_and_reports_the_same(police):
    full = validate_tables(police, ["raw.police"], use_record=False)["raw.police"]
    again = validate_tables(police, ["raw.police"])["raw.police"]
    assert (again.mode, again.validated_rows, again.rows) == ("unchanged", 0, 800)
    assert again.passed and again.record is None  # nothing new to record
    assert _seen(again) == _seen(full)
    [warning] = again.warnings  # the old file's warning is still reported
    assert warning.check_name == "gx_ukortlagt_gerningskode" and warning.kildelinje == 5
    from orchestration.quality_checks import to_check_results

    checks = to_check_results(again, dg.AssetKey(["raw", "police"]))
    contract = next(c for c in checks if c.check_name == "gx_kontrakt")
    assert contract.passed
    assert contract.metadata["validering"].value == "unchanged"
    assert contract.metadata["validerede_raekker"].value == 0
    assert contract.metadata["dagster/row_count"].value == 800


def _bad_2025(rows):
    rows[10][4] = 999  # line 12: not a four-digit code
    rows[20][8] = None  # line 22: only x given
    # line 32: a journal number of the 2024 delivery, delivered again in the same delivery with other content
    rows[30][0], rows[30][9], rows[30][4] = "0100-2024-00007", "2025-01-10", 1390


@pytest.mark.parametrize("large", [False, True], ids=["small_table", "large_table"])
def test_a_bad_row_in_a_new_file_fails_as_in_a_full_validation(police, large, monkeypatch):
    if large:  # a table of millions of rows: candidate rows only, of the new files and the touched keys
        import expectations.prefilter as prefilter

        monkeypatch.setattr(prefilter, "CANDIDATE_ROWS_FROM", 0)
        monkeypatch.setattr(prefilter, "SAMPLE_LINES", 0)
    _insert(police, "raw.police", POLICE_COLUMNS, _police_file(2025, 400, "c" * 64, [_bad_2025]))
    refresh = validate_tables(police, ["raw.police"])["raw.police"]
    full = validate_tables(police, ["raw.police"], use_record=False)["raw.police"]
    assert refresh.mode == "new_files" and refresh.new_files == ["police/anmeldelser_2025.csv"]
    assert refresh.validated_rows < full.validated_rows if not large else refresh.validated_rows <= 5
    assert _seen(refresh) == _seen(full)
    assert not refresh.passed and refresh.record is None
    places = {o.description.split(": ")[0] for o in refresh.errors}
    assert {"police/anmeldelser_2025.csv, line 12, column 'gerningskode'",
            "police/anmeldelser_2025.csv, line 22, column 'y_utm32'",
            # the conflict across files names the first of its rows, in the old file (line 9)
            "police/anmeldelser_2024.csv, line 9, column 'journalnr'"} <= places, places

    # the failing table recorded nothing: the old record stands, and the bad file is validated again
    with duckdb.connect(str(police), read_only=True) as con:
        assert set(read_records(con)["raw.police"].files) == {"police/anmeldelser_2023.csv",
                                                             "police/anmeldelser_2024.csv"}
    again = validate_tables(police, ["raw.police"])["raw.police"]
    assert again.mode == "new_files" and _seen(again) == _seen(full)

    # fixed (a new sha256): only the new file is validated, the table passes and is recorded whole
    _replace_file(police, "raw.police", "police/anmeldelser_2025.csv", POLICE_COLUMNS,
                  _police_file(2025, 400, "d" * 64))
    fixed = validate_tables(police, ["raw.police"])
    assert fixed["raw.police"].mode == "new_files" and fixed["raw.police"].passed
    assert _seen(fixed["raw.police"]) == _seen(validate_tables(police, ["raw.police"], use_record=False)["raw.police"])
    _record(police, fixed)
    assert validate_tables(police, ["raw.police"])["raw.police"].mode == "unchanged"


def test_a_changed_suite_threshold_or_loader_contract_validates_everything_again(police):
    changed = {**SUITES, "raw.police": Suite(
        "raw.police", tuple(e if e[0] != "ExpectColumnValuesToBeBetween" or e[1]["column"] != "gerningskode"
                            else (e[0], {**e[1], "max_value": 9998}, *e[2:])
                            for e in SUITES["raw.police"].expectations),
        SUITES["raw.police"].derived, SUITES["raw.police"].scopes)}
    assert validate_tables(police, ["raw.police"], suites=changed)["raw.police"].mode == "all"
    con = duckdb.connect(str(police))
    con.execute("comment on table raw.police is 'kontrakt:en-anden'")  # the loaders' contract changed
    con.close()
    assert validate_tables(police, ["raw.police"])["raw.police"].mode == "all"


def _survey_file(year: int, sha: str, n: int = 40) -> list[tuple]:
    rel = f"survey_kk/tryghedsundersoegelse_{year}.csv"
    return [(year, f"{year}-{i}", 1 + i % 10, 724_000.0 + i, 6_172_000.0 + i, 0.5 + i / 100, 1 + i % 5, 9,
             "MK"[i % 2], "30-49", rel, sha, i + 2, datetime(2026, 3, 1)) for i in range(n)]


@pytest.mark.parametrize("large", [False, True], ids=["small_table", "large_table"])
def test_duplicates_across_files_and_a_removed_year_as_in_a_full_validation(tmp_path, large, monkeypatch):
    if large:  # the refresh reads the new rows, the touched keys' and the flagged files' (refresh_rows.py)
        import expectations.prefilter as prefilter

        monkeypatch.setattr(prefilter, "CANDIDATE_ROWS_FROM", 0)
    db = tmp_path / "s.duckdb"
    _insert(db, "raw.survey_kk", SURVEY_COLUMNS, _survey_file(2022, "a" * 64), create=True)
    _insert(db, "raw.survey_kk", SURVEY_COLUMNS, _survey_file(2023, "b" * 64))
    _insert(db, "raw.survey_kk", SURVEY_COLUMNS, _survey_file(2024, "c" * 64))
    _record(db, validate_tables(db, ["raw.survey_kk"]))

    # a file of 2024 again, under another name, repeats a respondent of the old 2024 file: a duplicate key
    rows = [(*r[:10], "survey_kk/tryghedsundersoegelse_2024_rettelse.csv", "d" * 64, *r[12:])
            for r in _survey_file(2024, "d" * 64, 3)]
    _insert(db, "raw.survey_kk", SURVEY_COLUMNS, rows)
    refresh = validate_tables(db, ["raw.survey_kk"])["raw.survey_kk"]
    full = validate_tables(db, ["raw.survey_kk"], use_record=False)["raw.survey_kk"]
    assert refresh.mode == "new_files" and _seen(refresh) == _seen(full) and not refresh.passed
    assert any(o.expectation == "expect_compound_columns_to_be_unique" and o.unexpected_count == 6
               and o.kildefil == "survey_kk/tryghedsundersoegelse_2024.csv" for o in refresh.errors)

    # a removed file (no new one): the whole-history warning (a year without a file) appears as in full
    con = duckdb.connect(str(db))
    con.execute("delete from raw.survey_kk where kildefil like '%2023%' or kildefil like '%rettelse%'")
    con.close()
    refresh = validate_tables(db, ["raw.survey_kk"])["raw.survey_kk"]
    full = validate_tables(db, ["raw.survey_kk"], use_record=False)["raw.survey_kk"]
    assert refresh.mode == "new_files" and refresh.new_files == []
    assert _seen(refresh) == _seen(full)
    assert [w.check_name for w in refresh.warnings] == ["gx_manglende_aarsfil"]


def test_data_docs_keep_the_pages_of_tables_not_validated_again(police, tmp_path):
    docs = tmp_path / "docs"
    _insert(police, "raw.survey_kk", SURVEY_COLUMNS, _survey_file(2024, "s" * 64))
    first = validate_tables(police, ["raw.police", "raw.survey_kk"], docs)
    _record(police, first)
    assert first["raw.survey_kk"].mode == "all" and first["raw.police"].mode == "unchanged"
    pages = {p.parent.parent.parent.name for p in (docs / "validations").rglob("*.html")}
    assert "survey_kk" in pages  # police's page: from the validation recorded (none here: built without docs)
    _insert(police, "raw.police", POLICE_COLUMNS, _police_file(2025, 50, "e" * 64))
    second = validate_tables(police, ["raw.police", "raw.survey_kk"], docs)
    assert second["raw.police"].mode == "new_files" and second["raw.survey_kk"].mode == "unchanged"
    pages = {p.parent.parent.parent.name for p in (docs / "validations").rglob("*.html")}
    assert pages == {"police", "survey_kk"}
    from expectations.datadocs import newest_results, write_docs_index

    assert set(newest_results(docs)) == {"raw.police", "raw.survey_kk"}
    index = write_docs_index(tmp_path, {"docs": "Rå"}).read_text()
    assert "raw.survey_kk" in index and "raw.police" in index


def _check_evaluations(warehouse: Path) -> dict[tuple[str, str], object]:
    """The newest run's GX check evaluations, by (table, check), from the warehouse's Dagster instance."""
    instance = dg.DagsterInstance.from_config(str(warehouse / ".dagster"))
    try:
        [run] = instance.get_runs(limit=1)
        records = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
        found = {}
        for record in records:
            evaluation = record.dagster_event.event_specific_data
            if evaluation.check_name.startswith("gx_"):
                found[(evaluation.asset_key.path[-1], evaluation.check_name)] = evaluation
        return found
    finally:
        instance.dispose()


def test_second_run_on_an_unchanged_inbox_validates_nothing_and_reports_every_check(tmp_path):
    import samplegen
    from orchestration.cli import main

    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    samplegen.generate(inbox, years=(2024, 2025), scale=0.05, gz=False)
    assert main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)]) == 0
    first = _check_evaluations(warehouse)
    assert first[("police", "gx_kontrakt")].metadata["validering"].value == "all"
    with duckdb.connect(str(warehouse / "tryghed.duckdb"), read_only=True) as con:
        assert "raw.police" in read_records(con) and "marts.fct_tryghed" in read_records(con)

    assert main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)]) == 0
    second = _check_evaluations(warehouse)
    assert second.keys() == first.keys()
    for key, evaluation in second.items():
        assert evaluation.passed == first[key].passed, key
        if key[0] in ("police", "survey_kk", "geo_omraader"):  # raw tables: nothing validated again
            assert evaluation.metadata["validering"].value == "unchanged", key
            assert evaluation.metadata["validerede_raekker"].value == 0, key
            assert evaluation.metadata["dagster/row_count"].value == first[key].metadata["dagster/row_count"].value
    assert second[("police", "gx_kontrakt")].passed

    # a new file delivers a journal number of the 2025 delivery again, same delivery date, other offence:
    # the loaders accept it (unique within a file), the suite's whole-history rule does not
    bad = inbox / "police" / "anmeldelser_2025_ekstra.csv"
    header, line2 = (inbox / "police" / "anmeldelser_2025.csv").read_text(encoding="utf-8").split("\n")[:2]
    fields = line2.split(";")
    fields[4] = "1390" if fields[4] != "1390" else "1260"
    bad.write_text(f"{header}\n{';'.join(fields)}\n", encoding="utf-8")
    assert main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)]) == 1
    third = _check_evaluations(warehouse)
    contract = third[("police", "gx_kontrakt")]
    assert not contract.passed and contract.metadata["validering"].value == "new_files"
    assert contract.metadata["validerede_raekker"].value < first[("police", "gx_kontrakt")].metadata[
        "validerede_raekker"].value
    [failure] = contract.metadata["failures"].value
    assert (failure["file"], failure["line"], failure["column"], failure["unexpected"]) == (
        "police/anmeldelser_2025.csv", 2, "journalnr", 2)
    full = validate_tables(warehouse / "tryghed.duckdb", ["raw.police"], use_record=False)["raw.police"]
    assert [o.description for o in full.errors] == [failure["message"]]


def _codes(*at):
    def fault(rows):
        for index, code in at:
            rows[index][4] = code  # an offence code not in gerningskoder.csv: a warning (line index + 2)
    return fault


def _warning(result):
    [warning] = result.warnings
    return warning.check_name, warning.unexpected_count, warning.kildefil, warning.kildelinje


@pytest.mark.parametrize("large", [False, True], ids=["small_table", "large_table"])
def test_unmapped_codes_are_looked_for_in_new_files_only_and_warn_as_in_a_full_validation(police, large,
                                                                                         monkeypatch):
    """expectations/file_warnings.py: the old files' unmapped codes come from the record, the new files'
    from GX; added up they are the full validation's warning (count, first file and line, the codes with
    their counts in the same order, ties included), and a run with nothing new reports them as recorded."""
    if large:
        import expectations.prefilter as prefilter

        monkeypatch.setattr(prefilter, "CANDIDATE_ROWS_FROM", 0)
        monkeypatch.setattr(prefilter, "SAMPLE_LINES", 2)  # line 2 of the new file and of the first old one
    # 1499 is in the 2023 file once (line 5); with these each of 1499, 1777 and 1888 occurs twice
    _insert(police, "raw.police", POLICE_COLUMNS,
            _police_file(2025, 400, "c" * 64, [_codes((7, 1777), (9, 1888), (11, 1888), (13, 1499), (15, 1777))]))
    refresh = validate_tables(police, ["raw.police"])["raw.police"]
    full = validate_tables(police, ["raw.police"], use_record=False)["raw.police"]
    assert refresh.mode == "new_files" and refresh.passed
    assert _seen(refresh) == _seen(full)
    assert _warning(refresh) == ("gx_ukortlagt_gerningskode", 6, "police/anmeldelser_2023.csv", 5)
    assert all(f"{code} (2)" in refresh.warnings[0].description for code in (1499, 1777, 1888))
    if large:  # the new file's five unmapped rows and two first lines: not the old file's unmapped row
        assert refresh.validated_rows == 7
    _record(police, {"raw.police": refresh})
    with duckdb.connect(str(police), read_only=True) as con:
        [by_file] = read_records(con)["raw.police"].warnings.values()
    assert {f: s["n"] for f, s in by_file.items()} == {"police/anmeldelser_2023.csv": 1,
                                                      "police/anmeldelser_2025.csv": 5}

    # nothing new arrived: the recorded warning, as it was
    again = validate_tables(police, ["raw.police"])["raw.police"]
    assert again.mode == "unchanged" and _seen(again) == _seen(full)

    # a new file without an unmapped code: the old files' codes are still reported, from the record
    _insert(police, "raw.police", POLICE_COLUMNS, _police_file(2026, 100, "d" * 64))
    later = validate_tables(police, ["raw.police"])["raw.police"]
    assert later.mode == "new_files"
    assert _seen(later) == _seen(validate_tables(police, ["raw.police"], use_record=False)["raw.police"])
    assert _warning(later) == ("gx_ukortlagt_gerningskode", 6, "police/anmeldelser_2023.csv", 5)
    if large:
        assert later.validated_rows == 2


def test_a_changed_or_removed_file_takes_its_unmapped_codes_along(police):
    # the 2023 delivery again with other content: its recorded codes no longer count, the new content's do
    _replace_file(police, "raw.police", "police/anmeldelser_2023.csv", POLICE_COLUMNS,
                  _police_file(2023, 400, "e" * 64, [_codes((20, 1555), (30, 1555))]))
    changed = validate_tables(police, ["raw.police"])["raw.police"]
    assert changed.mode == "new_files" and changed.new_files == ["police/anmeldelser_2023.csv"]
    assert _seen(changed) == _seen(validate_tables(police, ["raw.police"], use_record=False)["raw.police"])
    assert _warning(changed) == ("gx_ukortlagt_gerningskode", 2, "police/anmeldelser_2023.csv", 22)
    _record(police, {"raw.police": changed})

    # the 2023 delivery removed: no unmapped code is left
    con = duckdb.connect(str(police))
    con.execute("delete from raw.police where kildefil = 'police/anmeldelser_2023.csv'")
    con.close()
    removed = validate_tables(police, ["raw.police"])["raw.police"]
    assert removed.mode == "new_files" and removed.new_files == [] and not removed.warnings
    assert _seen(removed) == _seen(validate_tables(police, ["raw.police"], use_record=False)["raw.police"])


def test_when_pandas_and_gx_disagree_the_warning_is_validated_on_the_whole_table(police, monkeypatch):
    import expectations.file_warnings as file_warnings

    _insert(police, "raw.police", POLICE_COLUMNS, _police_file(2025, 400, "c" * 64, [_codes((7, 1777))]))
    monkeypatch.setattr(file_warnings, "unexpected", lambda values, kwargs: values.notna() & False)
    refresh = validate_tables(police, ["raw.police"])["raw.police"]
    full = validate_tables(police, ["raw.police"], use_record=False)["raw.police"]
    assert refresh.mode == "new_files" and _seen(refresh) == _seen(full)
    assert _warning(refresh) == ("gx_ukortlagt_gerningskode", 2, "police/anmeldelser_2023.csv", 5)
    assert refresh.record["warnings"] == {}  # nothing per file is recorded: next time the whole table again


def test_the_warnings_kept_per_file():
    from expectations.file_warnings import per_file_rule
    from expectations.suites import RAW

    kept = [(s.table, e[1]["column"]) for s in RAW for e in s.expectations if per_file_rule(e, s.derived)]
    assert kept == [("raw.police", "gerningskode"), ("raw.befolkning_kvadratnet", "celle_x_utm32"),
                    ("raw.befolkning_kvadratnet", "celle_y_utm32")]


@pytest.mark.parametrize("table", ["raw.police", "raw.survey_kk"])
def test_a_large_tables_refresh_reads_only_the_rows_its_filters_can_keep(tmp_path, table, monkeypatch):
    """expectations/refresh_rows.py: the read starts from the new files' rows, every row of a key a new row
    touches, the first lines and the rows of the files a file rule flags, not from every row; the frame
    is the one read from every row."""
    import expectations.prefilter as prefilter
    from expectations.file_warnings import per_file_rule
    from expectations.suites import resolve

    monkeypatch.setattr(prefilter, "CANDIDATE_ROWS_FROM", 0)
    monkeypatch.setattr(prefilter, "SAMPLE_LINES", 2)
    db = tmp_path / "w.duckdb"
    if table == "raw.police":
        _insert(db, table, POLICE_COLUMNS, _police_file(2022, 300, "a" * 64, [_unmapped_code]), create=True)
        _insert(db, table, POLICE_COLUMNS, _police_file(2024, 300, "b" * 64))  # no 2023: a gap (warning)
        new = _police_file(2025, 300, "c" * 64, [_bad_2025, _codes((40, 1777))])
        new[50][0] = "0100-2022-00011"  # and a report of 2022 delivered again, the same day, other content
        new[50][9] = "2023-01-10"
        _insert(db, table, POLICE_COLUMNS, new)
    else:
        _insert(db, table, SURVEY_COLUMNS, _survey_file(2022, "a" * 64), create=True)
        _insert(db, table, SURVEY_COLUMNS, _survey_file(2024, "b" * 64))
        _insert(db, table, SURVEY_COLUMNS, [(*r[:10], "survey_kk/tryghedsundersoegelse_2024_rettelse.csv",
                                             "d" * 64, *r[12:]) for r in _survey_file(2024, "d" * 64, 3)])
    suite = resolve(SUITES[table], {})
    new_files = [f for f in _files(db, table) if "2025" in f or "rettelse" in f]
    per_file = frozenset(n for n, e in enumerate(suite.expectations) if per_file_rule(e, suite.derived))
    made = []
    restrict = prefilter.refresh_rows
    monkeypatch.setattr(prefilter, "refresh_rows", lambda *a: made.append(restrict(*a)) or made[-1])
    with duckdb.connect(str(db), read_only=True) as con:
        restricted = prefilter.read_table(con, suite, new_files, False, per_file)[0]
        monkeypatch.setattr(prefilter, "refresh_rows", lambda *a: None)
        every = prefilter.read_table(con, suite, new_files, False, per_file)[0]
    assert made and made[0] is not None  # the read started from the restricted rows
    assert len(restricted) > 3 and restricted.equals(every)


def _files(db: Path, table: str) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [f for (f,) in con.execute(f"select distinct kildefil from {table} order by 1").fetchall()]
