"""The city's population by district (open data): kk_befolkning/befkbhalderstatkode.csv (comma)."""

from assets.ingest.contract import Check
from assets.ingest.loading import Source
from assets.ingest.raw_schema import KK_BEFOLKNING

SOURCE = Source(
    folder="kk_befolkning",
    patterns=("befkbhalderstatkode.csv", "befkbhalderstatkode*.csv"),
    table=KK_BEFOLKNING,
    description="Københavns Kommune: residents by year, district, age and country code.",
    delimiter=",",
    checks=(
        Check("aar", "aar is not null", "AAR is missing"),
        Check("bydel", "bydel between 1 and 10 or bydel = 99", "BYDEL must be 1–10 or 99"),
        Check("personer", "personer >= 0", "PERSONER must be a count ≥ 0"),
    ),
)
