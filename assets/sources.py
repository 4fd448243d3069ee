"""Every source of the inbox, in one list: what ingestion loads and dbt's `raw` sources describe."""

from assets import (
    aktiviteter,
    befolkning_kvadratnet,
    dst,
    geo,
    kk_befolkning,
    lbf,
    police,
    survey_jm,
    survey_kk,
    survey_kk_published,
)
from assets.loading import Source

SOURCES: tuple[Source, ...] = (
    survey_kk.SOURCE,
    survey_kk_published.SOURCE,
    survey_jm.SOURCE,
    police.SOURCE,
    dst.STRAF11,
    dst.FOLK1A,
    kk_befolkning.SOURCE,
    befolkning_kvadratnet.SOURCE,
    lbf.SOURCE,
    geo.SOURCE,
    aktiviteter.SOURCE,
)
