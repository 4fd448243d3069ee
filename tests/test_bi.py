"""The published warehouse as a BI tool and a Danish analyst meet it: the read-only catalog, the Parquet
files' types and columns against the output contract (../shared/docs/indicators.md), Danish text, and the
dbt docs describing every mart column.

Everything here reads the warehouse of the one shared pipeline run (the `pipeline` fixture); expected
values come from the contract, the inbox files and the dbt seeds, read independently of the pipeline code.
"""

from __future__ import annotations

import csv
import json
import re
import tomllib
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from assets.foundation.dbt_project import mart_names
from assets.foundation.settings import settings_from_env
from tests.conftest import current_release

MARTS = mart_names()


ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "dbt_project" / "seeds"
INDICATORS_MD = ROOT.parent / "shared" / "docs" / "indicators.md"

# The contract's columns per mart, as indicators.md names them (section "## <mart> — ..."; a few come from
# its "Decisions" section, marked). A mart may have more columns than listed; it may not have fewer.
CONTRACT_COLUMNS: dict[str, tuple[str, ...]] = {
    # ## dim_omraade — the areas
    "dim_omraade": ("omraade_kode", "navn", "niveau", "overordnet_kode", "gyldig_fra", "gyldig_til", "areal_km2",
                    "partnerskab_kode"),
    # ## fct_tryghed — feeling safe
    "fct_tryghed": (
        "aar", "omraade_kode", "kilde", "maal", "andel", "ci_lav", "ci_hoej", "antal_svar", "effektiv_n",
        "andel_kbh", "afstand_til_kbh", "aendring", "aendring_signifikant", "p_vaerdi", "datagrundlag",
    ),
    # ## fct_kriminalitet — reported crime (+ Decisions 3: befolkning_undertrykte_celler for grid figures)
    "fct_kriminalitet": (
        "aar", "omraade_kode", "gruppe", "antal_anmeldelser", "befolkning", "pr_1000", "baseline_2024_antal",
        "baseline_2024_pr_1000", "indeks_2024", "maal", "maal_opfyldt", "antal_uden_placering",
        "befolkning_kilde", "befolkning_undertrykte_celler",
        # Decision 18: against the baseline year of the area's partnership
        "baseline_aar", "baseline_antal", "baseline_pr_1000", "indeks_baseline",
    ),
    # ## fct_kriminalitet_dst — coverage against Danmarks Statistik
    "fct_kriminalitet_dst": (
        "aar", "omraade_kode", "overtraedelse_kode", "antal_dst", "antal_kvartaler", "komplet",
        "antal_politiudtraek",
    ),
    # ## baseline_2024 — the table the agreement left empty
    "baseline_2024": (
        "gerningstype", "maal", "baseline_antal", "baseline_pr_1000", "omraade_kode", "version", "beregnet",
        "fastfrosset",
    ),
    # ## fct_aktiviteter — collaboration in the safety plan
    "fct_aktiviteter": (
        "aar", "indsatsomraade", "antal_aktiviteter", "antal_med_mindst_2_partnere", "andel_mindst_2_partnere",
        "budget_kr", "maal", "maal_opfyldt", "partnerskab_kode",
    ),
    # ## fct_maalopfyldelse — the yearly status, one row per goal and year
    "fct_maalopfyldelse": (
        "status_aar", "maal_id", "beskrivelse", "maalingsaar", "vaerdi", "maalvaerdi", "enhed", "opfyldt",
        "begrundelse", "tendens", "kilde", "partnerskab_kode",
    ),
    # ## fct_omraadeprofil — context and the state's criteria
    "fct_omraadeprofil": (
        "aar", "omraade_kode", "beboere", "andel_uden_for_arbejde_uddannelse", "andel_kun_grundskole",
        "indkomst_pct_af_region", "andel_ikke_vestlige", "doemte_faktor", "andel_elever_over_10pct_fravaer",
        "andel_10_17_uden_fritidsaktivitet", "udsat_boligomraade", "forebyggelsesomraade",
    ),
    # the coverage table issue 12 asks for ("a mart or a published table"): ours, not a contract section
    "fct_datadaekning": (),
    # decision 18's new mart "baseline": every partnership's table (named in the Decisions, no section of its own)
    "baseline": ("partnerskab_kode", "baseline_aar", "gerningstype", "maal", "baseline_antal", "baseline_pr_1000",
                 "omraade_kode", "version", "beregnet", "fastfrosset"),
    # the partnerships (issue 13): ours
    "dim_partnerskab": (),
}
PROJECT_MARTS = {"fct_datadaekning", "baseline", "dim_partnerskab"}
# Columns the contract describes without naming them; the names are ours (documented in _marts.yml).
# fct_omraadeprofil: "for § 61 a and § 61 b each criterion as a bool and the count met ... and the distance
# to each threshold"; fct_tryghed: "a reason column" and the disclosure "flag".
CONTRACT_DESCRIBED: dict[str, tuple[str, ...]] = {
    "fct_omraadeprofil": (
        "kriterie_61a_beboere", "kriterie_61a_uden_for_arbejde_uddannelse", "kriterie_61a_doemte",
        "kriterie_61a_kun_grundskole", "kriterie_61a_indkomst", "antal_kriterier_61a",
        "kriterie_61b_ikke_vestlige", "kriterie_61b_uden_for_arbejde_uddannelse", "kriterie_61b_doemte",
        "kriterie_61b_kun_grundskole", "kriterie_61b_indkomst", "antal_kriterier_61b",
        "afstand_61a_beboere", "afstand_61a_uden_for_arbejde_uddannelse", "afstand_61a_doemte",
        "afstand_61a_kun_grundskole", "afstand_61a_indkomst", "afstand_61b_ikke_vestlige",
        "afstand_61b_uden_for_arbejde_uddannelse", "afstand_61b_doemte", "afstand_61b_kun_grundskole",
        "afstand_61b_indkomst",
    ),
    "fct_tryghed": ("undertrykt_aarsag", "antal_svar_undertrykt"),
}
# Types the contract states for a column ("(bool)", "(timestamp)"): checked on top of the allowed types.
CONTRACT_TYPES: dict[tuple[str, str], pa.DataType] = {
    ("fct_tryghed", "aendring_signifikant"): pa.bool_(),
    ("fct_kriminalitet", "maal_opfyldt"): pa.bool_(),
    ("baseline_2024", "beregnet"): pa.timestamp("us"),
    ("baseline_2024", "fastfrosset"): pa.bool_(),
    ("fct_omraadeprofil", "udsat_boligomraade"): pa.bool_(),
    ("fct_omraadeprofil", "forebyggelsesomraade"): pa.bool_(),
}
# The yearly status report's marts (exposure aarlig_statusrapport).
STATUS_REPORT_MARTS = {
    "fct_maalopfyldelse", "fct_tryghed", "fct_kriminalitet", "baseline", "fct_aktiviteter", "dim_omraade",
    "dim_partnerskab", "fct_datadaekning",
}
DANISH_LETTERS = set("æøåÆØÅ")


def _bi_type(type_: pa.DataType) -> bool:
    """indicators.md: "Only types every BI tool reads: text, 64-bit int, double, boolean, date, timestamp".

    Timestamps without a time zone only, like the publisher's check (DuckDB's TIMESTAMP, not TIMESTAMPTZ).
    """
    return (
        pa.types.is_string(type_) or pa.types.is_large_string(type_)
        or type_ == pa.int64()
        or type_ == pa.float64()
        or pa.types.is_boolean(type_)
        or pa.types.is_date(type_)
        or (pa.types.is_timestamp(type_) and type_.tz is None)
    )


def _mart_path(warehouse: Path, mart: str) -> Path:
    return current_release(warehouse) / f"{mart}.parquet"


def _documented_columns() -> dict[str, list[str]]:
    import yaml

    doc = yaml.safe_load((ROOT / "dbt_project" / "models" / "marts" / "_marts.yml").read_text(encoding="utf-8"))
    return {m["name"]: [c["name"] for c in m.get("columns", [])] for m in doc["models"]}


def _seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


@pytest.fixture
def catalog(pipeline, tmp_path, monkeypatch):
    """A fresh read-only connection to the BI catalog, from another working directory (as a BI tool)."""
    _inbox, warehouse, _marts, _ = pipeline
    monkeypatch.chdir(tmp_path)
    con = duckdb.connect(str(warehouse / "tryghed_katalog.duckdb"), read_only=True)
    yield con
    con.close()


def test_catalog_read_only_sees_every_mart_with_the_published_row_counts(pipeline, catalog):
    _inbox, warehouse, _marts, _ = pipeline
    manifest = json.loads((current_release(warehouse) / "manifest.json").read_text(encoding="utf-8"))
    views = {r[0] for r in catalog.execute("select table_name from information_schema.tables").fetchall()}
    assert views == set(MARTS)
    assert set(manifest["raekker"]) == set(MARTS)
    for mart in MARTS:
        schema = pq.read_schema(_mart_path(warehouse, mart))
        described = catalog.execute(f'describe "{mart}"').fetchall()
        assert [r[0] for r in described] == schema.names, mart

        count = catalog.execute(f'select count(*) from "{mart}"').fetchone()[0]
        columns = ", ".join(f'"{c}"' for c in schema.names)
        rows = catalog.execute(f'select {columns} from "{mart}"').fetchall()  # every value reaches the client
        parquet_rows = pq.read_table(_mart_path(warehouse, mart)).num_rows
        assert count == len(rows) == parquet_rows == pq.read_metadata(_mart_path(warehouse, mart)).num_rows, mart
        assert count == manifest["raekker"][mart], mart
        assert count > 0, mart


def test_parquet_marts_use_only_bi_types(pipeline):
    _inbox, warehouse, _marts, _ = pipeline
    wrong = []
    for mart in MARTS:
        schema = pq.read_table(_mart_path(warehouse, mart)).schema
        wrong += [f"{mart}.{f.name}: {f.type}" for f in schema if not _bi_type(f.type)]
        for (contract_mart, column), type_ in CONTRACT_TYPES.items():
            if contract_mart == mart:
                assert schema.field(column).type == type_, f"{mart}.{column}: {schema.field(column).type}"
    assert not wrong, "types a BI tool may not read: " + ", ".join(wrong)


def test_parquet_marts_have_the_contracts_columns_and_only_documented_extras(pipeline):
    """Every contract column is there (the contract: "it may not have fewer"); the contract allows more, so
    the columns are exactly the ones documented in _marts.yml, and those include every contract column."""
    _inbox, warehouse, _marts, _ = pipeline
    documented = _documented_columns()
    for mart in MARTS:
        names = pq.read_schema(_mart_path(warehouse, mart)).names
        assert len(names) == len(set(names)), mart
        expected = CONTRACT_COLUMNS[mart] + CONTRACT_DESCRIBED.get(mart, ())
        missing = [c for c in expected if c not in names]
        assert not missing, f"{mart} lacks the contract's columns {missing}"
        assert set(names) == set(documented[mart]), (
            f"{mart}: undocumented {sorted(set(names) - set(documented[mart]))}, "
            f"documented but absent {sorted(set(documented[mart]) - set(names))}"
        )
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", n) for n in names), f"{mart}: not snake_case ASCII: {names}"


def test_contract_table_matches_indicators_md():
    """Guards the table above against typos: each column it names appears in backticks in its mart's
    section of indicators.md (or in the Decisions section)."""
    if not INDICATORS_MD.exists():
        pytest.skip(f"{INDICATORS_MD} not present (the shared contracts folder sits beside the project)")
    text = INDICATORS_MD.read_text(encoding="utf-8")
    found = [(m.group(1), m.group(2)) for m in re.finditer(r"^## (\w+)[^\n]*\n(.*?)(?=^## |\Z)", text, re.M | re.S)]
    sections = dict(found)
    # every "Decisions" section (the contract has several rounds)
    decisions = "\n".join(body for title, body in found if title == "Decisions")

    def named(body: str) -> set[str]:
        return {token.strip() for span in re.findall(r"`([^`]+)`", body) for token in span.split(",")}

    assert set(CONTRACT_COLUMNS) == set(MARTS) and set(MARTS) - PROJECT_MARTS == set(MARTS) & set(sections)
    for mart, columns in CONTRACT_COLUMNS.items():
        if mart in PROJECT_MARTS:
            continue
        unknown = [c for c in columns if c not in named(sections[mart]) | named(decisions)]
        assert not unknown, f"{mart}: {unknown} not named in indicators.md"


def test_danish_text_survives_parquet_and_the_catalog(pipeline, catalog):
    inbox, warehouse, _marts, _ = pipeline

    # area names: the municipality and districts from the inbox's GeoJSON, read with json; every other area
    # from the partnerships' files, read with tomllib (issue 13)
    geo = json.loads((inbox / "geo" / "omraader.geojson").read_text(encoding="utf-8"))
    source_names = {f["properties"]["omraade_kode"]: f["properties"]["navn"] for f in geo["features"]
                    if f["properties"]["niveau"] in ("kommune", "bydel")}
    files = {p.stem: tomllib.loads(p.read_text(encoding="utf-8")) for p in (ROOT / "partnerskaber").glob("*.toml")}
    for document in files.values():
        for section in ("graenser", "dele", "boligomraader"):
            source_names |= {a["kode"]: a["navn"] for a in document.get(section, [])}
        # the national survey's own areas (decision 15), named as the survey names them
        source_names |= {a["kode"]: a["navn"] for a in document.get("landsundersoegelse", []) if "kode" in a}
    assert "Amager Øst" in source_names.values()
    assert any(DANISH_LETTERS & set(n) for n in source_names.values())
    table = pq.read_table(_mart_path(warehouse, "dim_omraade"), columns=["omraade_kode", "navn"]).to_pydict()
    assert dict(zip(table["omraade_kode"], table["navn"], strict=True)) == source_names
    assert dict(catalog.execute("select omraade_kode, navn from dim_omraade").fetchall()) == source_names
    # a BI tool filtering on a Danish literal finds the row
    assert catalog.execute("select omraade_kode from dim_omraade where navn = 'Amager Øst'").fetchall() == [("BY09",)]

    # goal descriptions: the partnerships' files, read with tomllib
    goals = {(code, g["id"], g["tekst"]) for code, document in files.items() for g in document["maal"]}
    assert any("å" in d for _, _, d in goals) and any("ø" in d for _, _, d in goals)
    table = pq.read_table(_mart_path(warehouse, "fct_maalopfyldelse"),
                          columns=["partnerskab_kode", "maal_id", "beskrivelse"]).to_pylist()
    via_parquet = {(r["partnerskab_kode"], r["maal_id"], r["beskrivelse"]) for r in table}
    via_catalog = set(catalog.execute(
        "select distinct partnerskab_kode, maal_id, beskrivelse from fct_maalopfyldelse").fetchall())
    assert via_parquet == via_catalog == goals

    # the agreement's crime-type labels: Amager's file (the partnership with baseline year 2024)
    labels = {g["gerningstype"] for g in files["AP"]["maal"] if g["art"] == "kriminalitet"}
    assert {"Tyveri/Røveri", "Vold/Våben"} <= labels
    assert set(pq.read_table(_mart_path(warehouse, "baseline_2024")).column("gerningstype").to_pylist()) == labels
    assert {r[0] for r in catalog.execute("select gerningstype from baseline_2024").fetchall()} == labels


@pytest.fixture(scope="module")
def dbt_docs(pipeline) -> Path:
    """dbt docs generated once against the fixture run's working database."""
    import time

    from assets.publish.dbt_docs import generate_dbt_docs

    inbox, warehouse, _marts, _ = pipeline
    settings = settings_from_env().with_paths(inbox, warehouse)
    started = time.perf_counter()
    folder = generate_dbt_docs(settings.layout.dbt_docs_dir, settings.dbt_vars(), settings.database)
    print(f"dbt docs generate: {time.perf_counter() - started:.1f} s")
    return folder


def test_dbt_docs_describe_every_mart_column(pipeline, dbt_docs):
    _inbox, warehouse, _marts, _ = pipeline
    assert dbt_docs == warehouse / "docs" / "dbt"
    manifest = json.loads((dbt_docs / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((dbt_docs / "catalog.json").read_text(encoding="utf-8"))
    nodes = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    tables = {uid.split(".")[-1]: t for uid, t in catalog["nodes"].items() if uid.startswith("model.")}
    problems = []
    for mart in MARTS:
        columns = pq.read_schema(_mart_path(warehouse, mart)).names
        # the catalog (read from the database) lists the mart's columns
        assert [c for c, _ in sorted(tables[mart]["columns"].items(), key=lambda kv: kv[1]["index"])] == columns
        assert nodes[mart]["description"].strip(), mart
        for column in columns:
            description = nodes[mart]["columns"].get(column, {}).get("description", "").strip()
            if not description:
                problems.append(f"{mart}.{column}: no description")
            elif " — " not in description:
                # the convention in _marts.yml: "<Danish label> — <meaning>"
                problems.append(f"{mart}.{column}: not '<Danish label> — <meaning>': {description!r}")
    assert not problems, "\n".join(problems)

    # the single self-contained page (opens from file://) carries the same manifest and catalog
    page = (dbt_docs / "static_index.html").read_text(encoding="utf-8")
    assert "MANIFEST.JSON INLINE DATA" not in page and "CATALOG.JSON INLINE DATA" not in page
    assert all(f'"model.tryghed.{mart}"' in page for mart in MARTS)
    assert (dbt_docs / "index.html").is_file()
    assert not list(dbt_docs.glob(".dbt_docs_*")), "the temporary target was left behind"


def test_dbt_docs_show_who_reads_the_marts(dbt_docs):
    manifest = json.loads((dbt_docs / "manifest.json").read_text(encoding="utf-8"))
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert set(exposures) == {"aarlig_statusrapport", "bi_katalog"}
    reads = {name: {n.split(".")[-1] for n in e["depends_on"]["nodes"]} for name, e in exposures.items()}
    assert reads["aarlig_statusrapport"] == STATUS_REPORT_MARTS
    assert reads["bi_katalog"] == set(MARTS)
    for exposure in exposures.values():
        assert exposure["owner"]["email"] and exposure["description"].strip()
