"""Published survey shares (backfill for years without respondent data): survey_kk_published/."""

from assets.ingest.contract import Check
from assets.ingest.loading import Source
from assets.ingest.raw_schema import SURVEY_KK_PUBLISHED

SOURCE = Source(
    folder="survey_kk_published",
    patterns=("tryghed_publiceret.csv", "tryghed_publiceret*.csv"),
    table=SURVEY_KK_PUBLISHED,
    description="Published shares of the city's survey, in percent, per area, year and measure.",
    checks=(
        Check("aar", "aar is not null", "year is missing"),
        Check("omraade_kode", "omraade_kode is not null", "omraade_kode is missing"),
        Check("maal", "maal in ('nabolag', 'aften_nat')", "maal must be 'nabolag' or 'aften_nat'"),
        Check("andel_tryg_pct", "andel_tryg_pct between 0 and 100", "a percentage 0–100 is required"),
        Check("antal_svar", "antal_svar is null or antal_svar >= 0", "antal_svar must be ≥ 0"),
    ),
    unique_key=("aar", "omraade_kode", "maal"),
)
