"""Every source of the inbox, in one list: what ingestion loads and dbt's `raw` sources describe."""

from pathlib import Path

from assets.foundation.files import sha256_of, source_files
from assets.ingest.loading import Source
from assets.ingest.sources import (
    aktiviteter,
    befolkning_kvadratnet,
    dst,
    geo,
    kk_befolkning,
    lbf,
    police,
    roder,
    survey_jm,
    survey_kk,
    survey_kk_published,
)

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
    roder.SOURCE,
    aktiviteter.SOURCE,
)


def inbox_state(inbox: Path) -> dict[str, str]:
    """Every file the loaders would read (relative to the inbox), with its sha256."""
    state = {}
    for source in SOURCES:
        for path in source_files(inbox / source.folder, source.patterns, source.exclude):
            state[path.relative_to(inbox).as_posix()] = sha256_of(path)
    return state
