"""Adapter over Dagster's partition-range run tags (not exported by `dagster`; the one place naming them).

A run over a range of yearly partitions is marked by these tags (what the UI sets when a range is
launched with a single-run backfill policy). tests/test_adapters.py fails with a clear message if an
upgrade of the pinned Dagster moves them.
"""

from __future__ import annotations


def range_tag_names() -> tuple[str, str, str]:
    """(range start tag, range end tag, single partition tag)."""
    from dagster._core.storage.tags import (
        ASSET_PARTITION_RANGE_END_TAG,
        ASSET_PARTITION_RANGE_START_TAG,
        PARTITION_NAME_TAG,
    )

    return ASSET_PARTITION_RANGE_START_TAG, ASSET_PARTITION_RANGE_END_TAG, PARTITION_NAME_TAG
