"""The safety plan's activities (tryghedsplanen): aktiviteter/tryghedsplan_<YYYY>.csv or .xlsx.

With several partnerships, a partnership's plans lie in aktiviteter/<code>/ (extracts.md); files directly in
aktiviteter/ belong to the default partnership. The folder is kept in `kildefil`; staging reads it from there.
"""

from assets.ingest.contract import Check
from assets.ingest.loading import Source
from assets.ingest.raw_schema import AKTIVITETER
from assets.ingest.rules import column_equals_file_year

SOURCE = Source(
    folder="aktiviteter",
    patterns=("tryghedsplan_*.csv", "tryghedsplan_*.xlsx", "*/tryghedsplan_*.csv", "*/tryghedsplan_*.xlsx"),
    table=AKTIVITETER,
    description="Activities of the yearly safety plan with their partners, budget and status.",
    checks=(
        Check("aktivitet_id", "aktivitet_id is not null", "aktivitet_id is missing"),
        Check("indsatsomraade", "indsatsomraade between 1 and 4", "indsatsomraade must be 1–4"),
        Check("status", "lower(status) in ('planlagt', 'igang', 'gennemfoert', 'aflyst')",
              "status must be planlagt, igang, gennemfoert or aflyst"),
        Check("budget_kr", "budget_kr is null or budget_kr >= 0", "budget_kr must be ≥ 0"),
    ),
    unique_key=("aar", "aktivitet_id"),
    file_checks=column_equals_file_year("aar"),
)
