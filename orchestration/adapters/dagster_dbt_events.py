"""Adapter over the parts of dagster-dbt that are not public API (the one place that touches them).

The build runs dbt in-process (dbtRunner) instead of through DbtCliResource's subprocess, so it needs two
things dagster-dbt keeps private: turning one dbt result event into Dagster events (the translation
DbtCliResource itself uses, so models are assets and dbt tests are asset checks exactly as with the CLI),
and the dbt selection for a subset run. tests/test_adapters.py fails with a clear message if an upgrade
of the pinned dagster-dbt moves them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


def dagster_events(raw_event: dict, *, manifest: dict, translator, context, target_path: Path,
                   project) -> Iterator:
    """The Dagster events (materializations, check results) for one dbt result event."""
    from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

    event = DbtCoreCliEventMessage(raw_event=raw_event, event_history_metadata={})
    yield from event.to_default_asset_events(manifest=manifest, dagster_dbt_translator=translator,
                                             context=context, target_path=target_path, project=project)


def subset_selection(context, manifest: dict, translator) -> list[str]:
    """dbt's `--select` arguments for the assets a subset run was asked for."""
    from dagster_dbt.asset_utils import get_subset_selection_for_context

    selection, _ = get_subset_selection_for_context(
        context=context, manifest=manifest, select="fqn:*", exclude=None, selector=None,
        dagster_dbt_translator=translator, current_dbt_indirect_selection_env=None,
    )
    return selection
