"""Landsbyggefonden's resident data per housing department: lbf/beboerdata_<YYYY>.xlsx."""

from assets.ingest.contract import Check
from assets.ingest.loading import Source
from assets.ingest.raw_schema import LBF
from assets.ingest.rules import column_equals_file_year

_PCT = ("pct_uden_arbejde_uddannelse", "pct_kun_grundskole", "pct_ikke_vestlige",
        "pct_elever_over_10pct_fravaer", "pct_10_17_uden_fritidsaktivitet")

SOURCE = Source(
    folder="lbf",
    patterns=("beboerdata_*.xlsx",),
    table=LBF,
    description="Landsbyggefonden: register data per housing department; '*' or empty = suppressed.",
    missing=("*",),
    checks=(
        Check("boligorganisation", "boligorganisation is not null", "Boligorganisation is missing"),
        Check("afdelingsnr", "afdelingsnr is not null", "Afdelingsnr is missing"),
        Check("beboere_i_alt", "beboere_i_alt is null or beboere_i_alt >= 0", "must be a count ≥ 0"),
        *(Check(c, f"{c} is null or {c} between 0 and 100", "a percentage 0–100 is required") for c in _PCT),
        Check("pct_indkomst_af_region", "pct_indkomst_af_region is null or pct_indkomst_af_region >= 0",
              "a percentage ≥ 0 is required"),
        Check("doemte_faktor", "doemte_faktor is null or doemte_faktor >= 0", "a factor ≥ 0 is required"),
    ),
    unique_key=("aar", "boligorganisation", "afdelingsnr"),
    file_checks=column_equals_file_year("aar"),
)
