"""Danmarks Statistik StatBank exports (CSV with codes): dst/STRAF11.csv and dst/FOLK1A.csv."""

from assets.ingest.contract import Check
from assets.ingest.loading import Source
from assets.ingest.raw_schema import DST_FOLK1A, DST_STRAF11

_TIME_CODE = r"^\d{4}(K[1-4]|M(0[1-9]|1[0-2]))?$"
_CODE_CHECKS = (
    Check("omraade", r"regexp_full_match(omraade, '^\d{3}$')",
          "OMRÅDE must be a 3-digit area code (export with codes, not labels: valuePresentation=Code)"),
    Check("tid", f"regexp_full_match(tid, '{_TIME_CODE}')",
          "TID must be a time code like 2024, 2024K1 or 2024M01"),
)

STRAF11 = Source(
    folder="dst",
    patterns=("STRAF11.csv", "STRAF11_*.csv"),
    table=DST_STRAF11,
    description="STRAF11: reported crimes by area and offence, per quarter.",
    missing=("..",),
    checks=_CODE_CHECKS + (
        Check("overtraed", r"regexp_full_match(overtraed, '^(TOT|\d{1,4})$')",
              "OVERTRÆD must be an offence code (TOT or digits), not a label"),
        Check("indhold", "indhold is null or indhold >= 0", "INDHOLD must be ≥ 0"),
    ),
    unique_key=("omraade", "overtraed", "tid"),
)

FOLK1A = Source(
    folder="dst",
    patterns=("FOLK1A.csv", "FOLK1A_*.csv"),
    table=DST_FOLK1A,
    description="FOLK1A: population on the first day of the quarter by area, sex, age and marital status.",
    missing=("..",),
    checks=_CODE_CHECKS + (
        Check("koen", r"regexp_full_match(koen, '^(TOT|1|2)$')", "KØN must be TOT, 1 or 2 (codes)"),
        Check("alder", r"regexp_full_match(alder, '^(IALT|\d{1,3})$')", "ALDER must be IALT or an age"),
        Check("indhold", "indhold is null or indhold >= 0", "INDHOLD must be ≥ 0"),
    ),
)
