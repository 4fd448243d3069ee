"""The city's safety survey (Tryghedsundersøgelsen), respondent level: survey_kk/."""

from assets.ingest.contract import Check
from assets.ingest.loading import Source
from assets.ingest.raw_schema import SURVEY_KK
from assets.ingest.rules import ANSWER_CODES, column_equals_file_year, coordinates_in_copenhagen

SOURCE = Source(
    folder="survey_kk",
    patterns=("tryghedsundersoegelse_*.csv", "tryghedsundersoegelse_*.csv.gz"),
    table=SURVEY_KK,
    description="Københavns Kommunes tryghedsundersøgelse, one row per respondent.",
    checks=(
        Check("aar", "aar is not null", "survey year is missing"),
        Check("respondent_id", "respondent_id is not null", "respondent_id is missing"),
        Check("bydel_nr", "bydel_nr is null or bydel_nr between 1 and 10 or bydel_nr = 99",
              "bydel_nr must be 1–10 or 99"),
        Check("vaegt", "vaegt > 0", "weight must be a number > 0"),
        Check("tryg_nabolag", f"tryg_nabolag is null or tryg_nabolag in {ANSWER_CODES}",
              "answer code must be 1–5 or 9"),
        Check("tryg_aften_nat", f"tryg_aften_nat is null or tryg_aften_nat in {ANSWER_CODES}",
              "answer code must be 1–5 or 9"),
        *coordinates_in_copenhagen(),
    ),
    unique_key=("aar", "respondent_id"),
    file_checks=column_equals_file_year("aar"),
)
