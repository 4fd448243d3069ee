"""Facts written once: where another file must repeat one (dbt's sources, the GX suites, the marts), it is
checked equal to the one place here."""

from __future__ import annotations

import yaml

from assets.foundation.dbt_project import DBT_PROJECT_DIR, mart_names
from assets.foundation.files import file_year_sql, year_of_file
from assets.ingest.raw_schema import LINEAGE_COLUMNS, RAW_TABLES
from expectations.suites import MART, RAW


def test_dbt_sources_describe_exactly_the_raw_schema():
    """sources.yml documents every raw table and column (for the dbt docs); the raw schema declares them."""
    sources = yaml.safe_load((DBT_PROJECT_DIR / "models" / "staging" / "sources.yml").read_text(encoding="utf-8"))
    raw = next(s for s in sources["sources"] if s["name"] == "raw")
    documented = {t["name"]: [c["name"] for c in t.get("columns", [])] for t in raw["tables"]}
    declared = {t.name: [c.name for c in t.all_columns] + list(LINEAGE_COLUMNS) for t in RAW_TABLES}
    assert documented == declared


def test_every_raw_table_and_every_mart_has_a_suite():
    assert [s.name for s in RAW] == [t.name for t in RAW_TABLES]
    assert sorted(s.name for s in MART) == sorted(mart_names())


def test_the_file_year_rule_reads_the_same_in_python_and_in_duckdb():
    import duckdb

    names = ["police/anmeldelser_2024.csv", "police/anmeldelser_2024_rettelser.csv.gz",
             "lbf/beboerdata_2019.xlsx", "dst/STRAF11.csv", "geo/omraader.geojson", "survey_kk/x_20245.csv"]
    con = duckdb.connect()
    in_sql = [con.execute(f"select {file_year_sql('?')}", [n]).fetchone()[0] for n in names]
    assert in_sql == [year_of_file(n) for n in names] == [2024, 2024, 2019, None, None, None]
