"""The raw schema: one table per source, the contract's columns with types, plus lineage.

This is the interface between ingestion (assets/ingest/) and dbt's sources (dbt_project/models/staging/sources.yml).
Each column names its type and whether the contract requires it; loaders check files against it.
"""

from __future__ import annotations

from dataclasses import dataclass

LINEAGE_COLUMNS: dict[str, str] = {
    "kildefil": "VARCHAR",
    "kilde_sha256": "VARCHAR",
    "kildelinje": "BIGINT",
    "indlaest": "TIMESTAMP",
}


@dataclass(frozen=True)
class Column:
    name: str  # name in raw (lower-case ASCII)
    type: str  # DuckDB type: INTEGER, BIGINT, DOUBLE, VARCHAR, DATE, TIMESTAMP, BOOLEAN
    required: bool = True  # must be present as a column in the file
    source_name: str | None = None  # name in the file when it differs (matched case-insensitively)

    @property
    def header(self) -> str:
        return self.source_name or self.name


@dataclass(frozen=True)
class RawTable:
    name: str
    columns: tuple[Column, ...]
    derived: tuple[Column, ...] = ()  # columns computed by the loader, not read from the file

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return self.columns + self.derived

    def ddl(self) -> str:
        cols = [f'"{c.name}" {c.type}' for c in self.all_columns]
        cols += [f'"{n}" {t}' for n, t in LINEAGE_COLUMNS.items()]
        return f"CREATE OR REPLACE TABLE raw.{self.name} ({', '.join(cols)})"


def C(name: str, type_: str, required: bool = True, source_name: str | None = None) -> Column:
    return Column(name, type_, required, source_name)


SURVEY_KK = RawTable("survey_kk", (
    C("aar", "INTEGER"), C("respondent_id", "VARCHAR"), C("bydel_nr", "INTEGER"),
    C("x_utm32", "DOUBLE"), C("y_utm32", "DOUBLE"), C("vaegt", "DOUBLE"),
    C("tryg_nabolag", "INTEGER"), C("tryg_aften_nat", "INTEGER"),
    C("koen", "VARCHAR"), C("aldersgruppe", "VARCHAR"),
))
SURVEY_KK_PUBLISHED = RawTable("survey_kk_published", (
    C("aar", "INTEGER"), C("omraade_kode", "VARCHAR"), C("maal", "VARCHAR"),
    C("andel_tryg_pct", "DOUBLE"), C("antal_svar", "INTEGER"),
))
SURVEY_JM = RawTable("survey_jm", (
    C("aar", "INTEGER"), C("boligomraade", "VARCHAR"),
    C("andel_grundlaeggende_tryg_pct", "DOUBLE"), C("antal_svar", "INTEGER"),
))
POLICE = RawTable("police", (
    C("journalnr", "VARCHAR"), C("anmeldt_dato", "DATE"),
    C("gerning_fra", "TIMESTAMP"), C("gerning_til", "TIMESTAMP"),
    C("gerningskode", "INTEGER"), C("gerningskode_tekst", "VARCHAR"), C("kommunekode", "INTEGER"),
    C("x_utm32", "DOUBLE"), C("y_utm32", "DOUBLE"), C("leveret_dato", "DATE"),
))
DST_STRAF11 = RawTable("dst_straf11", (
    C("omraade", "VARCHAR", source_name="OMRÅDE"), C("overtraed", "VARCHAR", source_name="OVERTRÆD"),
    C("tid", "VARCHAR"), C("indhold", "DOUBLE"),
))
DST_FOLK1A = RawTable("dst_folk1a", (
    C("omraade", "VARCHAR", source_name="OMRÅDE"), C("koen", "VARCHAR", source_name="KØN"),
    C("alder", "VARCHAR"), C("civilstand", "VARCHAR", required=False),
    C("tid", "VARCHAR"), C("indhold", "DOUBLE"),
))
KK_BEFOLKNING = RawTable("kk_befolkning", (
    C("aar", "INTEGER"), C("bydel", "INTEGER"), C("alder", "INTEGER"),
    C("statkode", "INTEGER"), C("personer", "INTEGER"),
))
BEFOLKNING_KVADRATNET = RawTable(
    "befolkning_kvadratnet",
    (C("aar", "INTEGER"), C("celle_id", "VARCHAR"), C("aldersgruppe", "VARCHAR"), C("personer", "INTEGER")),
    derived=(C("undertrykt", "BOOLEAN"), C("celle_x_utm32", "DOUBLE"), C("celle_y_utm32", "DOUBLE")),
)
LBF = RawTable("lbf", (
    C("aar", "INTEGER", source_name="År"),
    C("boligorganisation", "VARCHAR", source_name="Boligorganisation"),
    C("afdelingsnr", "VARCHAR", source_name="Afdelingsnr"),
    C("afdelingsnavn", "VARCHAR", source_name="Afdelingsnavn"),
    C("beboere_i_alt", "INTEGER", source_name="Beboere i alt"),
    C("pct_uden_arbejde_uddannelse", "DOUBLE", source_name="Andel 18-64 uden for arbejde og uddannelse (%)"),
    C("pct_kun_grundskole", "DOUBLE", source_name="Andel 30-59 med kun grundskole (%)"),
    C("pct_indkomst_af_region", "DOUBLE", source_name="Gns. bruttoindkomst 15-64 ift. regionen (%)"),
    C("pct_ikke_vestlige", "DOUBLE", source_name="Andel ikke-vestlige indvandrere og efterkommere (%)"),
    C("doemte_faktor", "DOUBLE", source_name="Andel dømte ift. landsgennemsnittet (faktor)"),
    C("pct_elever_over_10pct_fravaer", "DOUBLE", source_name="Andel elever med over 10 % fravær (%)"),
    C("pct_10_17_uden_fritidsaktivitet", "DOUBLE", source_name="Andel 10-17-årige uden fritidsaktivitet (%)"),
))
GEO_OMRAADER = RawTable("geo_omraader", (
    C("omraade_kode", "VARCHAR"), C("navn", "VARCHAR"), C("niveau", "VARCHAR"),
    C("overordnet_kode", "VARCHAR"), C("gyldig_fra", "DATE"), C("gyldig_til", "DATE"),
    C("bydel_nr", "INTEGER", required=False), C("geometri_wkt", "VARCHAR"),
))
# The city's rode layer (WFS k101:rode) as delivered: the units a partnership's areas can be made of
GEO_RODER = RawTable("geo_roder", (
    C("rode_nr", "INTEGER"), C("rodenavn", "VARCHAR"), C("bydel", "VARCHAR", required=False),
    C("kvarternavn", "VARCHAR", required=False), C("udsat_byomraade", "VARCHAR", required=False),
    C("lokaludvalgnavn", "VARCHAR", required=False), C("geometri_wkt", "VARCHAR"),
))
AKTIVITETER = RawTable("aktiviteter", (
    C("aar", "INTEGER"), C("aktivitet_id", "VARCHAR"), C("titel", "VARCHAR"),
    C("indsatsomraade", "INTEGER"), C("partnere", "VARCHAR"), C("budget_kr", "DOUBLE"),
    C("status", "VARCHAR"),
))

RAW_TABLES: tuple[RawTable, ...] = (
    SURVEY_KK, SURVEY_KK_PUBLISHED, SURVEY_JM, POLICE, DST_STRAF11, DST_FOLK1A, KK_BEFOLKNING,
    BEFOLKNING_KVADRATNET, LBF, GEO_OMRAADER, GEO_RODER, AKTIVITETER,
)


def create_empty_raw_schema(con) -> None:
    """Create every raw table empty (for dbt development and for sources with no files)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for table in RAW_TABLES:
        con.execute(table.ddl())
