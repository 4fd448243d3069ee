"""The GX checks (expectations/: suites, pre-filter, runner, messages) on small hand-made DuckDB databases.

Importing Great Expectations costs ~15 s, so the databases are built once per module and every validation
runs in the same process; each validate_tables call after the first takes well under a second.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.ingest.raw_schema import create_empty_raw_schema
from expectations.naming import CONTRACT_CHECK, check_names
from expectations.runner import validate_tables
from expectations.suites import MART_TABLES, RAW_TABLES, SUITES
from orchestration.quality_checks import to_check_results

ROOT = Path(__file__).resolve().parent.parent
SURVEY_COLUMNS = (
    "aar, respondent_id, bydel_nr, x_utm32, y_utm32, vaegt, tryg_nabolag, tryg_aften_nat, koen, "
    "aldersgruppe, kildefil, kilde_sha256, kildelinje, indlaest"
)


def _survey_rows(year: int, n: int = 30, first_line: int = 2) -> list[tuple]:
    rel = f"survey_kk/tryghedsundersoegelse_{year}.csv"
    return [
        (
            year,
            f"{year}-{i}",
            1 + i % 10,
            724_000.0 + i,
            6_172_000.0 + i,
            0.5 + i / 100,
            1 + i % 5,
            9,
            "MK"[i % 2],
            "30-49",
            rel,
            "0" * 64,
            first_line + i,
            datetime(2026, 3, 1),
        )
        for i in range(n)
    ]


def _database(path: Path, rows: list[tuple]) -> Path:
    con = duckdb.connect(str(path))
    create_empty_raw_schema(con)
    con.executemany(f"insert into raw.survey_kk ({SURVEY_COLUMNS}) values ({', '.join('?' * 14)})", rows)
    con.close()
    return path


@pytest.fixture(scope="module")
def databases(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("gx")
    good = _survey_rows(2024)
    bad = list(good)
    bad[15] = bad[15][:6] + (7,) + bad[15][7:]  # answer code 7 on line 17 (header = line 1)
    gap = _survey_rows(2022) + _survey_rows(2024)  # no file for 2023
    return {
        "good": _database(root / "good.duckdb", good),
        "bad": _database(root / "bad.duckdb", bad),
        "gap": _database(root / "gap.duckdb", gap),
        "docs": root / "docs",
    }


@pytest.fixture(scope="module")
def results(databases) -> dict[str, dict]:
    return {
        name: validate_tables(
            databases[name], ["raw.survey_kk"], databases["docs"] if name == "good" else None
        )
        for name in ("good", "bad", "gap")
    }


def test_every_raw_table_and_mart_has_a_suite():
    assert RAW_TABLES == [
        f"raw.{t}"
        for t in (
            "survey_kk",
            "survey_kk_published",
            "survey_jm",
            "police",
            "dst_straf11",
            "dst_folk1a",
            "kk_befolkning",
            "befolkning_kvadratnet",
            "lbf",
            "geo_omraader",
            "geo_roder",
            "aktiviteter",
        )
    ]
    assert len(MART_TABLES) == 11
    for suite in SUITES.values():
        for entry in suite.expectations:
            assert entry[2] in ("error", "warn"), entry
            assert entry[2] == "error" or len(entry) > 3, f"a warning needs a note (its check name): {entry}"
        for name in suite.derived:  # every derived column is used by an expectation
            assert any(e[1].get("column") == name for e in suite.expectations), name


def test_good_table_passes(results):
    result = results["good"]["raw.survey_kk"]
    assert result.rows == 30
    assert result.passed and not result.warnings, [o.description for o in result.errors + result.warnings]
    checks = to_check_results(result, dg.AssetKey(["raw", "survey_kk"]))
    assert [c.check_name for c in checks] == check_names(SUITES["raw.survey_kk"])
    assert all(c.passed for c in checks)


def test_answer_code_7_fails_naming_file_line_and_column(results):
    result = results["bad"]["raw.survey_kk"]
    assert not result.passed
    [error] = result.errors
    assert error.description.startswith(
        "survey_kk/tryghedsundersoegelse_2024.csv, line 17, column 'tryg_nabolag': "
        "expect_column_values_to_be_in_set failed (1 row, e.g. 7)"
    )
    assert (error.kildefil, error.kildelinje, error.unexpected_count) == (
        "survey_kk/tryghedsundersoegelse_2024.csv",
        17,
        1,
    )
    [contract] = [
        c
        for c in to_check_results(result, dg.AssetKey(["raw", "survey_kk"]))
        if c.check_name == CONTRACT_CHECK
    ]
    assert not contract.passed and contract.severity == dg.AssetCheckSeverity.ERROR
    assert "line 17" in contract.description
    assert contract.metadata["failures"].value[0]["line"] == 17


def test_warning_gives_warn_not_error(results):
    result = results["gap"]["raw.survey_kk"]
    assert result.passed, [o.description for o in result.errors]
    [warning] = result.warnings
    assert warning.check_name == "gx_manglende_aarsfil"
    assert warning.kildefil == "survey_kk/tryghedsundersoegelse_2024.csv"
    checks = {c.check_name: c for c in to_check_results(result, dg.AssetKey(["raw", "survey_kk"]))}
    assert checks[CONTRACT_CHECK].passed
    assert not checks["gx_manglende_aarsfil"].passed
    assert checks["gx_manglende_aarsfil"].severity == dg.AssetCheckSeverity.WARN


def test_data_docs_written(results, databases):
    index = databases["docs"] / "index.html"
    assert index.is_file()
    pages = [p.name for p in databases["docs"].rglob("*.html")]
    assert "survey_kk.html" in pages  # the suite's page
    assert any(name.startswith("raw-survey_kk") for name in pages)  # the validation result's page


def test_mart_rules_ci_and_missing_table(tmp_path, results):
    path = tmp_path / "tryghed.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("""create table marts.fct_tryghed as select * from (values
        (2024, '101', 'jm', 'grundlaeggende', 0.60, 0.55, 0.65, 100, 'respondenter', null),
        (2025, '101', 'jm', 'grundlaeggende', 0.70, 0.72, 0.80, 100, 'respondenter', 10.0))
        t(aar, omraade_kode, kilde, maal, andel, ci_lav, ci_hoej, antal_svar, datagrundlag, aendring)""")
    # the municipality and districts a year must have are the areas' (issue 13: no code list in the suite)
    con.execute("create table marts.dim_omraade as select '101' as omraade_kode, 'kommune' as niveau")
    con.close()
    result = validate_tables(path, ["marts.fct_tryghed", "marts.fct_aktiviteter"], None)
    tryghed = result["marts.fct_tryghed"]
    assert any("ci_lav_andel_ci_hoej" in o.description and o.unexpected_count == 1 for o in tryghed.errors)
    assert result["marts.fct_aktiviteter"].errors[0].description == "table marts.fct_aktiviteter does not exist"


def test_definitions_do_not_import_great_expectations():
    code = (
        "import sys, orchestration.quality_checks as q; "
        "assert 'great_expectations' not in sys.modules; "
        "specs = [s for c in q.RAW_CHECKS + q.MART_CHECKS for s in c.check_specs]; "
        "assert all(s.blocking == (s.name == 'gx_kontrakt') for s in specs); "
        "assert {s.asset_key.path[0] for s in specs} == {'raw', 'marts'}; print(len(specs))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def _police_database(path: Path) -> Path:
    """A police delivery with one fault of each kind the suite knows, spread over the file."""
    con = duckdb.connect(str(path))
    create_empty_raw_schema(con)
    rel = "police/anmeldelser_2024.csv"
    rows = []
    for i in range(3_000):
        rows.append([f"0100-80150-{i:05d}-24", f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", "2024-01-01 10:00:00",
                     "2024-01-01 11:00:00", 1220, "Simpel vold", 101, 724_000.0 + i, 6_172_000.0 + i,
                     "2025-01-10", rel, "0" * 64, i + 2, datetime(2026, 3, 1)])
    rows[100][4] = 999  # not a 4-digit code (line 102)
    rows[2_500][4] = 99_999  # and again further down (line 2502)
    rows[700][4] = 1499  # an unmapped code: a warning
    rows[1_200][8] = None  # only x given (line 1202)
    rows[1_800][3] = "2023-12-31 09:00:00"  # gerning_til before gerning_fra (line 1802)
    rows[2_200][1] = "2025-06-01"  # reported after it was delivered (line 2202)
    rows[2_900][0] = rows[2_901][0]  # one journalnr twice in the delivery with other content (lines 2902/2903)
    columns = ("journalnr, anmeldt_dato, gerning_fra, gerning_til, gerningskode, gerningskode_tekst, kommunekode, "
               "x_utm32, y_utm32, leveret_dato, kildefil, kilde_sha256, kildelinje, indlaest")
    con.executemany(f"insert into raw.police ({columns}) values ({', '.join('?' * 14)})", rows)
    con.close()
    return path


def test_large_tables_are_validated_on_candidate_rows_with_the_same_outcomes(tmp_path, monkeypatch, databases):
    """The pre-filter (candidate rows only, for tables of millions of rows) gives exactly the outcomes of the
    whole table: counts, first file/line/column and examples."""
    import expectations.prefilter as prefilter
    import expectations.runner as runner

    police = _police_database(tmp_path / "police.duckdb")
    cases = [(police, "raw.police"), (databases["bad"], "raw.survey_kk"), (databases["gap"], "raw.survey_kk")]
    whole = [validate_tables(db, [table])[table] for db, table in cases]
    monkeypatch.setattr(prefilter, "CANDIDATE_ROWS_FROM", 0)
    monkeypatch.setattr(prefilter, "SAMPLE_LINES", 0)
    read = prefilter.read_table
    seen = {}

    def spy(con, suite):
        out = read(con, suite)
        seen[suite.table] = len(out[0])
        return out

    monkeypatch.setattr(runner, "read_table", spy)
    filtered = [validate_tables(db, [table])[table] for db, table in cases]
    assert seen["raw.police"] < 20  # only the faulty rows (and the warning's) reached pandas
    assert seen["raw.survey_kk"] < 60  # (the gap database's two years)
    for w, f in zip(whole, filtered, strict=True):
        assert f.rows == w.rows
        assert [(o.expectation, o.column, o.success, o.unexpected_count, o.description) for o in f.outcomes] == \
            [(o.expectation, o.column, o.success, o.unexpected_count, o.description) for o in w.outcomes]
    errors = {o.description.split(": ")[0] for o in whole[0].errors}
    assert {"police/anmeldelser_2024.csv, line 102, column 'gerningskode'",
            "police/anmeldelser_2024.csv, line 1202, column 'y_utm32'",
            "police/anmeldelser_2024.csv, line 1802, column 'gerning_til'",
            "police/anmeldelser_2024.csv, line 2202, column 'anmeldt_dato'",
            "police/anmeldelser_2024.csv, line 2902, column 'journalnr'"} <= errors, errors
    assert [(o.kildelinje, o.unexpected_count) for o in whole[0].warnings] == [(102, 3)]  # 999, 99999, 1499


def test_the_result_format_completes_to_what_summary_gave(tmp_path):
    """expectations/result_format.py: GX's BASIC result with the first unexpected row, completed, is GX's
    SUMMARY result, expectation for expectation, on failing rows of every kind of expectation the suites use
    (with the lineage columns as index columns, and for a table without lineage)."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    from expectations.prefilter import LINEAGE, read_table
    from expectations.result_format import complete, result_format, summary_format
    from expectations.suites import resolve

    suite = resolve(SUITES["raw.police"], {})
    with duckdb.connect(str(_police_database(tmp_path / "police.duckdb")), read_only=True) as con:
        frame = read_table(con, suite)[0]
    failing = [
        ("ExpectColumnValuesToBeUnique", {"column": "kommunekode"}),
        ("ExpectCompoundColumnsToBeUnique", {"column_list": ["kommunekode", "leveret_dato"]}),
        ("ExpectColumnValuesToMatchRegex", {"column": "journalnr", "regex": r"-0000\d-"}),
        ("ExpectColumnValuesToBeInTypeList", {"column": "journalnr", "type_list": ["int64"]}),
        ("ExpectColumnValuesToBeInTypeList", {"column": "gerningskode", "type_list": ["str"]}),
        ("ExpectTableColumnsToMatchSet", {"column_set": ["findes_ikke"], "exact_match": False}),
        ("ExpectColumnDistinctValuesToContainSet", {"column": "kommunekode", "value_set": [101, 147]}),
        ("ExpectColumnValuesToNotBeNull", {"column": "y_utm32"}),
        ("ExpectColumnPairValuesAToBeGreaterThanB", {"column_A": "gerning_fra", "column_B": "gerning_til"}),
    ]
    entries = [e[:2] for e in suite.expectations] + failing
    used = {e[0] for s in SUITES.values() for e in s.expectations}
    assert used <= {e[0] for e in entries}, "a kind of expectation the suites use is not compared here"
    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_pandas("raw")
    for name, data, index in (("lineage", frame, list(LINEAGE)), ("plain", frame.drop(columns=list(LINEAGE)), None)):
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("alt")
        expectations = [getattr(gxe, cls)(**kwargs, meta={"nr": i}) for i, (cls, kwargs) in enumerate(entries)]
        definition = context.validation_definitions.add(gx.ValidationDefinition(
            name=name, data=batch, suite=context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))))
        summary = definition.run(batch_parameters={"dataframe": data}, result_format=summary_format(index))
        basic = definition.run(batch_parameters={"dataframe": data}, result_format=result_format(index))
        for evr in basic.results:
            complete(evr)
        by_nr = {r.expectation_config.meta["nr"]: r.to_json_dict() for r in basic.results}
        assert sum(not r.success for r in summary.results) >= 12
        for r in summary.results:
            assert by_nr[r.expectation_config.meta["nr"]] == r.to_json_dict(), r.expectation_config.type


def test_the_worker_answers_before_a_passing_stages_data_docs(databases, tmp_path):
    """expectations/worker.py, `docs_later`: a passing stage's site and the index page are written after
    the answer (the next request waits for them); a failing stage's are there when the answer comes."""
    from expectations.worker import ValidationWorker

    worker = ValidationWorker.get()  # the session's worker when there is one (GX is imported once)
    root = tmp_path / "quality"
    bad = worker.validate(databases["bad"], ["raw.survey_kk"], root / "bad", docs_index=(root, {"bad": "Fejl"}),
                          docs_later=True)
    assert not bad["raw.survey_kk"].passed
    assert "raw.survey_kk" in (root / "index.html").read_text()  # written before the answer
    good = worker.validate(databases["good"], ["raw.survey_kk"], root / "good",
                           docs_index=(root, {"bad": "Fejl", "good": "Godt"}), docs_later=True)
    assert good["raw.survey_kk"].passed and "docs" not in worker.last_timings  # built after the answer
    worker.validate(databases["good"], [], None)  # read once the site is built
    index = (root / "index.html").read_text()
    assert "good/validations/raw/survey_kk/" in index and "bad/validations/raw/survey_kk/" in index
