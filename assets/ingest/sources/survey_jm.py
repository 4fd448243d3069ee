"""The national survey (Justitsministeriet), housing-area level: survey_jm/."""

from assets.ingest.contract import Check
from assets.ingest.loading import Source
from assets.ingest.raw_schema import SURVEY_JM
from assets.ingest.rules import column_equals_file_year

SOURCE = Source(
    folder="survey_jm",
    patterns=("jm_tryghed_*.csv",),
    table=SURVEY_JM,
    description="Justitsministeriets tryghedsundersøgelse: share who basically feel safe, per housing area.",
    checks=(
        Check("boligomraade", "boligomraade is not null", "boligomraade is missing"),
        Check("andel_grundlaeggende_tryg_pct", "andel_grundlaeggende_tryg_pct between 0 and 100",
              "a percentage 0–100 is required"),
    ),
    unique_key=("aar", "boligomraade"),
    file_checks=column_equals_file_year("aar"),
)
