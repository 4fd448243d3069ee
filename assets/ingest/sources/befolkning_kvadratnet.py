"""Population on the Danish 100 m grid (Det Danske Kvadratnet): befolkning_kvadratnet/.

The cell id names the south-west corner (`100m_<N/100>_<E/100>`); areas are given the population of the
cells whose *centre* lies in them, so the centre is computed here, once, from the id.
"""

from assets.ingest.contract import Check
from assets.ingest.loading import Source
from assets.ingest.raw_schema import BEFOLKNING_KVADRATNET
from assets.ingest.rules import column_equals_file_year

_CELL = r"^100m_(\d{5})_(\d{4})$"

SOURCE = Source(
    folder="befolkning_kvadratnet",
    patterns=("befolkning_100m_*.csv", "befolkning_100m_*.csv.gz"),
    table=BEFOLKNING_KVADRATNET,
    description="Residents per 100 m grid cell, year and age group; 1–4 persons suppressed as '..'.",
    missing=("..",),
    checks=(
        Check("celle_id", f"regexp_full_match(celle_id, '{_CELL}')",
              "celle_id must look like 100m_<N>_<E>, e.g. 100m_61742_7252"),
        Check("personer", "personer is null or personer >= 0", "personer must be a count ≥ 0"),
    ),
    unique_key=("aar", "celle_id", "aldersgruppe"),
    derived_sql={
        "undertrykt": "personer is null",
        "celle_x_utm32": f"cast(regexp_extract(celle_id, '{_CELL}', 2) as DOUBLE) * 100 + 50",
        "celle_y_utm32": f"cast(regexp_extract(celle_id, '{_CELL}', 1) as DOUBLE) * 100 + 50",
    },
    file_checks=column_equals_file_year("aar"),
)
