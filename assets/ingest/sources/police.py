"""Police report extracts: police/. All deliveries are loaded as they are; dbt de-duplicates them."""

from assets.ingest.contract import Check
from assets.ingest.loading import Source
from assets.ingest.raw_schema import POLICE
from assets.ingest.rules import column_equals_file_year, coordinates_in_copenhagen

SOURCE = Source(
    folder="police",
    patterns=("anmeldelser_*.csv", "anmeldelser_*.csv.gz"),
    table=POLICE,
    description="Københavns Politi's report extracts, every delivery (deliveries overlap and correct).",
    checks=(
        Check("journalnr", "journalnr is not null", "journalnr is missing"),
        Check("anmeldt_dato", "anmeldt_dato is not null", "anmeldt_dato is missing"),
        Check("gerningskode", "gerningskode between 1000 and 9999", "gerningskode must be a 4-digit code"),
        Check("leveret_dato", "leveret_dato is not null", "leveret_dato is missing"),
        Check("gerning_til", "gerning_til is null or gerning_fra is null or gerning_til >= gerning_fra",
              "gerning_til is before gerning_fra"),
        *coordinates_in_copenhagen(),
    ),
    unique_key=("journalnr",),
    identical_repeats_ok=True,
    file_checks=column_equals_file_year("anmeldt_dato", "year(anmeldt_dato)"),
)
