"""The data-quality suites: what every raw table and every mart must satisfy, in one readable list.

This is the second, declarative layer over the loaders' contract checks (assets/ingest/): an analyst can
review here, without reading SQL or loader code, what "a good table" means. Each table has

* ``expectations``: (Great Expectations class name, its arguments, severity[, short note]).
  Severity "error" blocks the run (nothing downstream, nothing published); "warn" shows in the Dagster UI and
  in `tryghed run`'s summary only. A warn entry's note also names its Dagster check (``gx_<note>``).
* ``derived``: named yes/no columns computed in DuckDB when the table is read, for rules GX cannot state
  on one row (a date inside the file's year, every area × year × group present, ...). Each one is expected
  to be true by an entry in ``expectations``.
* ``scopes``: for a derived rule over other rows of the table (a subquery or window), the key its value
  depends on, e.g. police's `journalnr`: a refresh then re-evaluates it only for the keys the new files'
  rows touch (expectations/record.py). A rule over other rows without a scope is evaluated on the whole
  table every time.
* ``file_rules``: derived rules whose value is the same on every row of a file (decided by the file's name
  and the table's files, e.g. a gap in the yearly files): a refresh reads only the rows of the files such
  a rule flags, found once per file (expectations/refresh_rows.py), not every row of the table.

Nothing here imports Great Expectations (that costs ~15 s) or reads a file: values that come from the
run's settings (`Threshold`) or from the team's dbt seeds (`Seed`) are placeholders, resolved by
`resolve` when a stage is validated (expectations/runner.py). A raw table's columns and types come from
the raw schema (assets/ingest/raw_schema.py), declared once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from assets.foundation.dbt_project import seed_column
from assets.foundation.files import file_year_sql
from assets.ingest import raw_schema
from assets.ingest.raw_schema import RawTable
from assets.ingest.rules import KBH_BBOX
from assets.ingest.sources.geo import LEVELS

Entry = tuple  # (class name, kwargs, "error" | "warn") or with a fourth element: a short note


@dataclass(frozen=True)
class Suite:
    table: str  # schema.table in the working database
    expectations: tuple[Entry, ...]
    # name -> SQL (DuckDB) evaluated per row, or (file column the rule is about, SQL) so messages name it
    derived: dict[str, str | tuple[str, str]] = field(default_factory=dict)
    # derived rule -> the columns its value depends on: a row's value is decided by the rows sharing them
    # (all of the table's), so a refresh re-evaluates it only for the keys the new files' rows touch
    scopes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # derived rules whose value is the same on every row of a file
    file_rules: tuple[str, ...] = ()

    @property
    def schema(self) -> str:
        return self.table.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.table.split(".", 1)[1]


def derived_sql(value) -> tuple[str | None, str]:
    """A derived rule's (file column it is about, SQL): the column is None when the rule names none."""
    return (value[0], value[1]) if isinstance(value, tuple) else (None, value)


@dataclass(frozen=True)
class Seed:
    """The values of a dbt seed's column (project data the team maintains), so suites and dbt share one list."""

    file: str
    column: str


@dataclass(frozen=True)
class Threshold:
    """A threshold of the run's settings (Settings.thresholds), e.g. the disclosure limit."""

    name: str


def _resolved(value, thresholds: dict):
    if isinstance(value, Seed):
        return list(seed_column(value.file, value.column))
    if isinstance(value, Threshold):
        return thresholds[value.name]
    return value


def resolve(suite: Suite, thresholds: dict) -> Suite:
    """The suite with its placeholders replaced by the seeds' values and the run's thresholds."""
    entries = tuple(
        (entry[0], {k: _resolved(v, thresholds) for k, v in entry[1].items()}, *entry[2:])
        for entry in suite.expectations
    )
    return replace(suite, expectations=entries)


# --- building blocks -------------------------------------------------------------------------------------
INT = ["int8", "int16", "int32", "int64", "Int8Dtype", "Int16Dtype", "Int32Dtype", "Int64Dtype"]
FLOAT = ["float32", "float64", "Float64Dtype"] + INT
TEXT = ["str"]
DATE = ["datetime64[us]", "datetime64[ns]", "datetime64[ms]", "datetime64[s]"]
BOOL = ["bool", "BooleanDtype"]

ANSWER_CODES = [1, 2, 3, 4, 5, 9]
BYDEL_CODES = [*range(1, 11), 99]
(X_MIN, X_MAX), (Y_MIN, Y_MAX) = KBH_BBOX["x"], KBH_BBOX["y"]
# The municipality is the one area code a check names; every other expected area comes from the geo files
# (the districts) and the configured partnerships (schema partnerskaber, written before any check runs).
MUNICIPALITY = "101"
PARTNERSHIP_AREAS = "(select omraade_kode from partnerskaber.omraader)"
SHARED_AREAS = "(select omraade_kode from marts.dim_omraade where niveau in ('kommune', 'bydel'))"
DISCLOSURE = Threshold("diskretion_graense")  # person counts below are suppressed (indicators.md)

TIME_CODE = r"^\d{4}(K[1-4]|M(0[1-9]|1[0-2]))?$"  # DST time codes: 2024, 2024K1, 2024M01
# The year in a contract file name (`anmeldelser_2024_rettelser.csv.gz` -> 2024), the loaders' rule.
FILE_YEAR = file_year_sql("kildefil")


_GX_TYPES = {"INTEGER": INT, "BIGINT": INT, "DOUBLE": FLOAT, "VARCHAR": TEXT, "DATE": DATE, "TIMESTAMP": DATE,
             "BOOLEAN": BOOL}


def raw_columns(table: RawTable) -> tuple[Entry, ...]:
    """A raw table's required columns exist with their types, as the raw schema declares them."""
    return columns({c.name: _GX_TYPES[c.type] for c in table.all_columns if c.required})


def columns(types: dict[str, list[str]]) -> tuple[Entry, ...]:
    """Required columns exist with their types."""
    return (
        ("ExpectTableColumnsToMatchSet", {"column_set": list(types), "exact_match": False}, "error"),
        *(("ExpectColumnValuesToBeInTypeList", {"column": c, "type_list": t}, "error")
          for c, t in types.items()),
    )


def not_null(*cols: str) -> tuple[Entry, ...]:
    return tuple(("ExpectColumnValuesToNotBeNull", {"column": c}, "error") for c in cols)


def between(col: str, low=None, high=None, severity: str = "error", note: str | None = None,
            **extra) -> Entry:
    kwargs = {"column": col, "min_value": low, "max_value": high, **extra}
    entry = ("ExpectColumnValuesToBeBetween", kwargs, severity)
    return (*entry, note) if note else entry


def in_set(col: str, values: list, severity: str = "error", note: str | None = None) -> Entry:
    entry = ("ExpectColumnValuesToBeInSet", {"column": col, "value_set": values}, severity)
    return (*entry, note) if note else entry


def regex(col: str, pattern: str) -> Entry:
    return ("ExpectColumnValuesToMatchRegex", {"column": col, "regex": pattern}, "error")


def contains(col: str, values: list, note: str | None = None) -> Entry:
    """Every one of `values` occurs in the column (other values may too)."""
    entry = ("ExpectColumnDistinctValuesToContainSet", {"column": col, "value_set": values}, "error")
    return (*entry, note) if note else entry


def unique(*cols: str) -> Entry:
    if len(cols) == 1:
        return ("ExpectColumnValuesToBeUnique", {"column": cols[0]}, "error")
    return ("ExpectCompoundColumnsToBeUnique", {"column_list": list(cols)}, "error")


def true(col: str, severity: str = "error", note: str | None = None) -> Entry:
    """A derived yes/no column must be true on every row."""
    entry = ("ExpectColumnValuesToBeInSet", {"column": col, "value_set": [True]}, severity)
    return (*entry, note) if note else entry


def in_copenhagen(x: str = "x_utm32", y: str = "y_utm32") -> tuple[Entry, ...]:
    """Inside Copenhagen's bounding box in EPSG:25832 metres; lon/lat (12.6, 55.7) falls far outside."""
    return (between(x, X_MIN, X_MAX), between(y, Y_MIN, Y_MAX))


def previous_year_has_file(table: str) -> str:
    """True unless the file's year follows a year with no file of the same source (a gap in the series).

    Decided once per file and looked up per row: the file-year pattern is not run on every one of ten
    million rows."""
    files = f"(select distinct kildefil from {table})"
    years = f"(select list(distinct {FILE_YEAR}) from {files})"
    return (f"kildefil in (select kildefil from {files} where {FILE_YEAR} = list_min({years}) "
            f"or list_contains({years}, {FILE_YEAR} - 1))")


YEAR_GAP = ("forrige_aars_fil_findes",)  # previous_year_has_file: the same on every row of a file


def in_file_year(expression: str) -> str:
    return f"{expression} is null or {FILE_YEAR} is null or {expression} = {FILE_YEAR}"


# --- raw tables: one suite per source --------------------------------------------------------------------
RAW: tuple[Suite, ...] = (
    Suite("raw.survey_kk", (
        *raw_columns(raw_schema.SURVEY_KK),
        *not_null("aar", "respondent_id", "vaegt"),
        in_set("tryg_nabolag", ANSWER_CODES), in_set("tryg_aften_nat", ANSWER_CODES),
        in_set("bydel_nr", BYDEL_CODES),
        between("vaegt", 0, None, strict_min=True),
        in_set("koen", ["M", "K"]),
        *in_copenhagen(),
        true("begge_koordinater_eller_ingen"),
        unique("aar", "respondent_id"),
        true("aar_som_filnavn"),
        true("forrige_aars_fil_findes", "warn", "manglende_aarsfil"),
    ), derived={
        "begge_koordinater_eller_ingen": ("y_utm32", "(x_utm32 is null) = (y_utm32 is null)"),
        "aar_som_filnavn": ("aar", in_file_year("aar")),
        "forrige_aars_fil_findes": previous_year_has_file("raw.survey_kk"),
    }, file_rules=YEAR_GAP),
    Suite("raw.survey_kk_published", (
        *raw_columns(raw_schema.SURVEY_KK_PUBLISHED),
        *not_null("aar", "omraade_kode", "andel_tryg_pct"),
        in_set("maal", ["nabolag", "aften_nat"]),
        between("andel_tryg_pct", 0, 100),
        between("antal_svar", 0),
        unique("aar", "omraade_kode", "maal"),
        true("kendt_omraade", "warn", "ukendt_omraade"),
    ), derived={
        "kendt_omraade": ("omraade_kode", "omraade_kode in (select omraade_kode from raw.geo_omraader)"),
    }),
    Suite("raw.survey_jm", (
        *raw_columns(raw_schema.SURVEY_JM),
        *not_null("aar", "boligomraade", "andel_grundlaeggende_tryg_pct"),
        between("andel_grundlaeggende_tryg_pct", 0, 100),
        between("antal_svar", 0),
        unique("aar", "boligomraade"),
        true("aar_som_filnavn"),
        # a name no partnership's file maps is warned about by the dbt test advarsel_jm_boligomraader_uden_kobling
        # (the partnerships' mappings are built after the raw checks)
    ), derived={"aar_som_filnavn": ("aar", in_file_year("aar"))}),
    Suite("raw.police", (
        *raw_columns(raw_schema.POLICE),
        *not_null("journalnr", "anmeldt_dato", "gerningskode", "kommunekode", "leveret_dato"),
        between("gerningskode", 1000, 9999),
        *in_copenhagen(),
        true("begge_koordinater_eller_ingen"),
        ("ExpectColumnPairValuesAToBeGreaterThanB", {"column_A": "gerning_til", "column_B": "gerning_fra",
         "or_equal": True, "ignore_row_if": "either_value_is_missing"}, "error"),
        true("anmeldt_senest_leveret"),
        true("journalnr_entydig_i_levering"),
        in_set("gerningskode", Seed("gerningskoder.csv", "gerningskode"), "warn", "ukortlagt_gerningskode"),
        true("forrige_aars_fil_findes", "warn", "manglende_aarsfil"),
    ), derived={
        "begge_koordinater_eller_ingen": ("y_utm32", "(x_utm32 is null) = (y_utm32 is null)"),
        # rows of any year are allowed (decision 12), but a report cannot be delivered before it was made
        "anmeldt_senest_leveret": ("anmeldt_dato", "anmeldt_dato is null or leveret_dato is null "
                                   "or anmeldt_dato <= leveret_dato"),
        # the same journalnr in one delivery (same leveret_dato) must be an exact repeat, never a variant
        # (only journalnr delivered more than once are grouped by content: a few percent of a national extract)
        "journalnr_entydig_i_levering": ("journalnr", "(journalnr, leveret_dato) not in (select (journalnr, "
        "leveret_dato) from raw.police where journalnr in (select journalnr from raw.police group by journalnr "
        "having count(*) > 1) group by all having count(distinct (anmeldt_dato, gerning_fra, gerning_til, "
        "gerningskode, gerningskode_tekst, kommunekode, x_utm32, y_utm32)) > 1)"),
        "forrige_aars_fil_findes": previous_year_has_file("raw.police"),
    }, scopes={"journalnr_entydig_i_levering": ("journalnr",)}, file_rules=YEAR_GAP),
    Suite("raw.dst_straf11", (
        *raw_columns(raw_schema.DST_STRAF11),
        *not_null("omraade", "overtraed", "tid"),
        regex("omraade", r"^\d{3}$"),
        regex("overtraed", r"^(TOT|\d{1,4})$"),
        regex("tid", TIME_CODE),
        between("indhold", 0),
        contains("omraade", ["101"], "koebenhavn_mangler"),
        unique("omraade", "overtraed", "tid"),
    )),
    Suite("raw.dst_folk1a", (
        *raw_columns(raw_schema.DST_FOLK1A),
        *not_null("omraade", "koen", "alder", "tid"),
        regex("omraade", r"^\d{3}$"),
        in_set("koen", ["TOT", "1", "2"]),
        regex("alder", r"^(IALT|\d{1,3})$"),
        regex("tid", TIME_CODE),
        between("indhold", 0),
        contains("omraade", ["101"], "koebenhavn_mangler"),
        unique("omraade", "koen", "alder", "civilstand", "tid"),
    )),
    Suite("raw.kk_befolkning", (
        *raw_columns(raw_schema.KK_BEFOLKNING),
        *not_null("aar", "bydel", "personer"),
        in_set("bydel", BYDEL_CODES),
        between("alder", 0, 130),
        between("personer", 0),
    )),
    Suite("raw.befolkning_kvadratnet", (
        *raw_columns(raw_schema.BEFOLKNING_KVADRATNET),
        *not_null("aar", "celle_id"),
        regex("celle_id", r"^100m_\d{5}_\d{4}$"),
        between("personer", 0),
        true("undertrykt_naar_personer_mangler"),
        unique("aar", "celle_id", "aldersgruppe"),
        true("aar_som_filnavn"),
        between("celle_x_utm32", X_MIN, X_MAX, "warn", note="celle_uden_for_koebenhavn"),
        between("celle_y_utm32", Y_MIN, Y_MAX, "warn", note="celle_uden_for_koebenhavn"),
        true("forrige_aars_fil_findes", "warn", "manglende_aarsfil"),
    ), derived={
        "undertrykt_naar_personer_mangler": ("personer", "undertrykt = (personer is null)"),
        "aar_som_filnavn": ("aar", in_file_year("aar")),
        "forrige_aars_fil_findes": previous_year_has_file("raw.befolkning_kvadratnet"),
    }, file_rules=YEAR_GAP),
    Suite("raw.lbf", (
        *raw_columns(raw_schema.LBF),
        *not_null("aar", "boligorganisation", "afdelingsnr"),
        between("beboere_i_alt", 0),
        *(between(c, 0, 100) for c in ("pct_uden_arbejde_uddannelse", "pct_kun_grundskole",
                                       "pct_ikke_vestlige", "pct_elever_over_10pct_fravaer",
                                       "pct_10_17_uden_fritidsaktivitet")),
        between("pct_indkomst_af_region", 0), between("doemte_faktor", 0),
        unique("aar", "boligorganisation", "afdelingsnr"),
        true("aar_som_filnavn"),
        true("forrige_aars_fil_findes", "warn", "manglende_aarsfil"),
    ), derived={
        "aar_som_filnavn": ("aar", in_file_year("aar")),
        "forrige_aars_fil_findes": previous_year_has_file("raw.lbf"),
    }, file_rules=YEAR_GAP),
    Suite("raw.geo_omraader", (
        *raw_columns(raw_schema.GEO_OMRAADER),
        *not_null("omraade_kode", "navn", "niveau"),
        unique("omraade_kode"),
        in_set("niveau", list(LEVELS)),
        contains("omraade_kode", [MUNICIPALITY]),
        true("mindst_en_bydel"),
        true("bydel_har_bydel_nr"),
        ("ExpectColumnPairValuesAToBeGreaterThanB", {"column_A": "gyldig_til", "column_B": "gyldig_fra",
         "or_equal": True, "ignore_row_if": "either_value_is_missing"}, "error"),
        true("har_geometri"),
    ), derived={
        "mindst_en_bydel": ("niveau", "count(*) filter (where niveau = 'bydel') over () >= 1"),
        "bydel_har_bydel_nr": ("bydel_nr", "niveau <> 'bydel' or bydel_nr between 1 and 99"),
        "har_geometri": ("geometry", "geometri_wkt is not null and geometri_wkt <> ''"),
    }),
    Suite("raw.geo_roder", (
        *raw_columns(raw_schema.GEO_RODER),
        *not_null("rode_nr", "rodenavn"),
        unique("rode_nr"),
        true("har_geometri"),
    ), derived={"har_geometri": ("geometry", "geometri_wkt is not null and geometri_wkt <> ''")}),
    Suite("raw.aktiviteter", (
        *raw_columns(raw_schema.AKTIVITETER),
        *not_null("aar", "aktivitet_id", "indsatsomraade", "status"),
        in_set("indsatsomraade", [1, 2, 3, 4]),
        true("kendt_status"),
        between("budget_kr", 0),
        unique("aar", "aktivitet_id"),
        true("aar_som_filnavn"),
        true("forrige_aars_fil_findes", "warn", "manglende_aarsfil"),
    ), derived={
        "kendt_status": ("status", "lower(status) in ('planlagt', 'igang', 'gennemfoert', 'aflyst')"),
        "aar_som_filnavn": ("aar", in_file_year("aar")),
        "forrige_aars_fil_findes": previous_year_has_file("raw.aktiviteter"),
    }, file_rules=YEAR_GAP),
)

# --- marts: one suite per published table ----------------------------------------------------------------
GROUPS_WITH_TARGET = ["borgervendt_i_alt", "fokus_indbrud", "fokus_tyveri_roeveri", "fokus_vold_vaaben"]
# the baseline rows and the goals are each partnership's (its file's crime goals and goals)
CRIME_GOAL_ROWS = "(select gerningstype from partnerskaber.maal where art = 'kriminalitet')"
GOALS = "(select partnerskab_kode || '/' || maal_id from partnerskaber.maal)"
PARTNERSHIPS = "(select partnerskab_kode from partnerskaber.partnerskaber)"


def share(*cols: str) -> tuple[Entry, ...]:
    return tuple(between(c, 0, 1) for c in cols)


def count(*cols: str) -> tuple[Entry, ...]:
    return tuple(between(c, 0) for c in cols)


def disclosed(col: str) -> Entry:
    """A published count of persons is empty or at least the disclosure threshold."""
    return between(col, DISCLOSURE, None)


MART: tuple[Suite, ...] = (
    Suite("marts.dim_omraade", (
        *not_null("omraade_kode", "navn", "niveau"),
        unique("omraade_kode"),
        in_set("niveau", list(LEVELS)),
        contains("omraade_kode", [MUNICIPALITY]),
        true("alle_partnerskabers_omraader"),
        true("partnerskab_under_bydel"),
        between("areal_km2", 0, None, strict_min=True),
    ), derived={
        # every area the partnerships' files define is an area of the marts ...
        "alle_partnerskabers_omraader": "(select count(*) from partnerskaber.omraader where omraade_kode not in "
        "(select omraade_kode from marts.dim_omraade)) = 0",
        # ... and only theirs sit below the districts, keyed by their partnership
        "partnerskab_under_bydel": "(niveau in ('kommune', 'bydel')) = (partnerskab_kode is null) "
        f"and (partnerskab_kode is null or partnerskab_kode in {PARTNERSHIPS})",
    }),
    Suite("marts.fct_tryghed", (
        *not_null("aar", "omraade_kode", "kilde", "maal", "datagrundlag"),
        unique("aar", "omraade_kode", "kilde", "maal"),
        in_set("kilde", ["kk", "jm"]), in_set("maal", ["nabolag", "aften_nat", "grundlaeggende"]),
        in_set("datagrundlag", ["respondenter", "publiceret"]),
        *share("andel", "ci_lav", "ci_hoej", "andel_kbh", "p_vaerdi"),
        true("ci_lav_andel_ci_hoej"),
        disclosed("antal_svar"),
        true("kk_begge_maal"),
        true("kk_kommune_og_alle_bydele"),
        # a share moving more than 10 points in a year (aendring is in percentage points)
        between("aendring", -10, 10, "warn", note="andel_flyttet_over_10_point"),
    ), derived={
        "ci_lav_andel_ci_hoej": "andel is null or ci_lav is null or ci_hoej is null "
        "or (ci_lav <= andel and andel <= ci_hoej)",
        # the city survey gives both measures for every area (empty with a reason when too few answers) ...
        "kk_begge_maal": "kilde <> 'kk' or "
        "count(distinct maal) over (partition by aar, omraade_kode, kilde) = 2",
        # ... and a year with respondent data has the municipality and every district of the geo files (a
        # year known only from published shares has the areas the publication covers)
        "kk_kommune_og_alle_bydele": "kilde <> 'kk' or count(*) filter (where datagrundlag = 'respondenter') "
        "over (partition by aar, kilde, maal) = 0 or count(distinct case when omraade_kode in "
        f"{SHARED_AREAS} then omraade_kode end) over (partition by aar, kilde, maal) = "
        f"(select count(*) from {SHARED_AREAS})",
    }),
    Suite("marts.fct_kriminalitet", (
        *not_null("aar", "omraade_kode", "gruppe", "foreloebig", "har_levering"),
        unique("aar", "omraade_kode", "gruppe"),
        # decision 11: a year the deliveries cover has every count (0 = none); a year without one has none
        true("antal_kun_naar_leveret"),
        true("ingen_dom_over_foreloebige_aar"),
        ("ExpectColumnValuesToMatchRegex", {"column": "gruppe", "regex":
         r"^(borgervendt_i_alt|sagsomraade_\w+|fokus_(indbrud|tyveri_roeveri|vold_vaaben)"
         r"|overvaagning_(chikane|haervaerk|narkotika|trusler)|ikke_kortlagt)$"}, "error"),
        *count("antal_anmeldelser", "befolkning", "pr_1000", "baseline_2024_antal", "baseline_2024_pr_1000",
               "indeks_2024", "antal_uden_placering"),
        in_set("befolkning_kilde", ["dst", "kk", "kvadratnet"]),
        true("maal_kun_paa_maalgrupper"),
        true("alle_omraader_for_aar_og_gruppe"),
        true("alle_grupper_for_aar_og_omraade"),
        true("ingen_huller_i_aarene"),
    ), derived={
        "maal_kun_paa_maalgrupper": "coalesce(maal = 'minimum_fastholdelse', false) = (gruppe in ("
        + ", ".join(f"'{g}'" for g in GROUPS_WITH_TARGET)
        + ")) and (maal is null or maal = 'minimum_fastholdelse')",
        "alle_omraader_for_aar_og_gruppe": "count(distinct omraade_kode) over (partition by aar, gruppe) = "
        "(select count(*) from marts.dim_omraade)",
        "alle_grupper_for_aar_og_omraade": "count(distinct gruppe) over (partition by aar, omraade_kode) = "
        "(select count(distinct gruppe) from marts.fct_kriminalitet)",
        "antal_kun_naar_leveret": "(antal_anmeldelser is not null) = har_levering",
        "ingen_dom_over_foreloebige_aar": "maal_opfyldt is null or not (foreloebig or not har_levering)",
        "ingen_huller_i_aarene": "(select count(distinct aar) from marts.fct_kriminalitet) = "
        "(select max(aar) - min(aar) + 1 from marts.fct_kriminalitet)",
    }),
    Suite("marts.fct_kriminalitet_dst", (
        *not_null("aar", "omraade_kode", "overtraedelse_kode"),
        unique("aar", "omraade_kode", "overtraedelse_kode"),
        *count("antal_dst", "antal_politiudtraek", "daekning"),
        between("antal_kvartaler", 0, 4),
        true("komplet_er_fire_kvartaler"),
    ), derived={"komplet_er_fire_kvartaler": "komplet = (antal_kvartaler = 4)"}),
    Suite("marts.dim_partnerskab", (
        *not_null("partnerskab_kode", "navn", "omraade_kode", "aftale_fra", "aftale_til", "baseline_aar"),
        unique("partnerskab_kode"),
        ("ExpectColumnPairValuesAToBeGreaterThanB", {"column_A": "aftale_til", "column_B": "aftale_fra",
         "or_equal": True}, "error"),
        true("omraade_findes"),
    ), derived={"omraade_findes": "omraade_kode in (select omraade_kode from marts.dim_omraade)"}),
    Suite("marts.baseline", (
        *not_null("partnerskab_kode", "baseline_aar", "gerningstype", "maal", "omraade_kode", "version",
                  "beregnet", "fastfrosset"),
        in_set("maal", ["Minimum fastholdelse"]),
        unique("partnerskab_kode", "version", "gerningstype"),
        *count("baseline_antal", "baseline_pr_1000"),
        true("kendt_partnerskab_og_raekke"),
    ), derived={
        # exactly the partnerships' crime goals' rows (the dbt test counts them per version)
        "kendt_partnerskab_og_raekke": f"partnerskab_kode in {PARTNERSHIPS} and gerningstype in {CRIME_GOAL_ROWS} "
        "and omraade_kode in (select omraade_kode from partnerskaber.partnerskaber)",
    }),
    Suite("marts.baseline_2024", (
        *not_null("gerningstype", "maal", "baseline_antal", "omraade_kode", "version", "beregnet",
                  "fastfrosset"),
        in_set("maal", ["Minimum fastholdelse"]),
        unique("omraade_kode", "version", "gerningstype"),
        *count("baseline_antal", "baseline_pr_1000"),
        true("kendt_partnerskab_og_raekke"),
        true("version_har_alle_raekker"),
    ), derived={
        # the rows of the partnerships with baseline year 2024: their crime goals, no more, no fewer
        "kendt_partnerskab_og_raekke": f"gerningstype in {CRIME_GOAL_ROWS} and omraade_kode in "
        "(select omraade_kode from partnerskaber.partnerskaber)",
        "version_har_alle_raekker": "count(distinct gerningstype) over (partition by omraade_kode, version) = "
        "count(distinct gerningstype) over (partition by omraade_kode)",
    }),
    Suite("marts.fct_aktiviteter", (
        *not_null("partnerskab_kode", "aar", "antal_aktiviteter", "maal"),
        unique("partnerskab_kode", "aar", "indsatsomraade"),
        in_set("indsatsomraade", [1, 2, 3, 4]),
        *share("andel_mindst_2_partnere", "maal"),
        *count("antal_aktiviteter", "antal_med_mindst_2_partnere", "budget_kr"),
        ("ExpectColumnPairValuesAToBeGreaterThanB", {"column_A": "antal_aktiviteter",
         "column_B": "antal_med_mindst_2_partnere", "or_equal": True}, "error"),
        true("alle_indsatsomraader_og_total"),
    ), derived={
        "alle_indsatsomraader_og_total": "count(distinct indsatsomraade) over (partition by partnerskab_kode, aar) "
        "= 4 and count(*) filter (where indsatsomraade is null) over (partition by partnerskab_kode, aar) = 1",
    }),
    Suite("marts.fct_maalopfyldelse", (
        *not_null("partnerskab_kode", "status_aar", "maal_id", "beskrivelse", "maalingsaar"),
        unique("partnerskab_kode", "status_aar", "maal_id"),
        true("kendt_maal"),
        true("alle_maal_hvert_aar"),
        true("kalender"),
        true("dom_kun_i_aftaleperioden"),
        true("begrundelse_naar_ingen_dom"),
        *share("fremskrevet_2028", "fremskrevet_2028_ci_lav", "fremskrevet_2028_ci_hoej"),
    ), derived={
        "kendt_maal": f"partnerskab_kode || '/' || maal_id in {GOALS}",
        "alle_maal_hvert_aar": "count(distinct maal_id) over (partition by partnerskab_kode, status_aar) = "
        "count(distinct maal_id) over (partition by partnerskab_kode)",
        # decision 9: safety goals on the status year's survey, crime and collaboration on the year before
        "kalender": "maalingsaar = status_aar - case when maal_art = 'tryghed' then 0 else 1 end",
        # decisions 10, 14: verdicts only inside the agreement period, never on preliminary data
        "dom_kun_i_aftaleperioden": "opfyldt is null or (i_aftaleperiode and not foreloebig)",
        "begrundelse_naar_ingen_dom": "opfyldt is not null or begrundelse is not null",
    }),
    Suite("marts.fct_datadaekning", (
        *not_null("kilde", "aar", "status", "komplet", "foreloebig"),
        unique("kilde", "aar"),
        in_set("status", ["komplet", "foreloebig", "mangler"]),
        true("status_og_flag"),
    ), derived={
        "status_og_flag": "komplet = (status = 'komplet') and foreloebig = (status = 'foreloebig') "
        "and (antal_filer > 0) = (status <> 'mangler')",
    }),
    Suite("marts.fct_omraadeprofil", (
        *not_null("aar", "omraade_kode"),
        unique("aar", "omraade_kode"),
        *share("andel_uden_for_arbejde_uddannelse", "andel_kun_grundskole", "andel_ikke_vestlige",
               "andel_elever_over_10pct_fravaer", "andel_10_17_uden_fritidsaktivitet"),
        *count("beboere", "indkomst_pct_af_region", "doemte_faktor"),
        disclosed("beboere"),
        between("antal_kriterier_61a", 0, 5), between("antal_kriterier_61b", 0, 5),
        true("samme_omraader_hvert_aar"),
    ), derived={
        "samme_omraader_hvert_aar": "count(distinct omraade_kode) over (partition by aar) = "
        "(select count(distinct omraade_kode) from marts.fct_omraadeprofil)",
    }),
)

SUITES: dict[str, Suite] = {s.table: s for s in RAW + MART}
RAW_TABLES: list[str] = [s.table for s in RAW]
MART_TABLES: list[str] = [s.table for s in MART]
