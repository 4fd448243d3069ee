"""Police report extracts: police/. All deliveries are loaded as they are; dbt de-duplicates them.

A delivery named for year Y may hold reports of any year (late registrations, corrections across New Year):
the file name says which year the delivery is for, not which rows it may hold (indicators.md, decision 12),
so there is no file-year rule here, unlike the survey, LBF and plan loaders.
"""

from assets.ingest.contract import Check
from assets.ingest.loading import Source
from assets.ingest.raw_schema import POLICE
from assets.ingest.rules import coordinates_in_copenhagen

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
        Check("anmeldt_dato", "anmeldt_dato is null or leveret_dato is null or anmeldt_dato <= leveret_dato",
              "anmeldt_dato is after leveret_dato (a report cannot be delivered before it is made)"),
        *coordinates_in_copenhagen(),
    ),
    unique_key=("journalnr",),
    identical_repeats_ok=True,
)
