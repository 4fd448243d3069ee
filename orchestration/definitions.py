"""The one Definitions object: raw assets → dbt models and tests → publishing → docs and status report."""

from __future__ import annotations

import dagster as dg

from assets.dbt_docs import build_dbt_docs_asset
from assets.publish import build_publish_asset
from assets.raw_assets import RAW_ASSETS
from assets.statusrapport.asset import build_report_asset
from orchestration.config import MARTS, settings_from_env
from orchestration.dbt import tryghed_dbt_assets
from orchestration.jobs import alt_job
from orchestration.quality import MART_CHECKS, RAW_CHECKS
from orchestration.resources import TryghedResource
from orchestration.triggers import aarlig_opdatering, indbakke_sensor


def _mart_keys() -> list[dg.AssetKey]:
    keys = [k for k in tryghed_dbt_assets.keys if k.path[-1] in MARTS]
    missing = set(MARTS) - {k.path[-1] for k in keys}
    if missing:
        raise RuntimeError(f"dbt project lacks marts: {', '.join(sorted(missing))}")
    return keys


publicerede_marts = build_publish_asset(_mart_keys())
# after publishing: the docs describe what was published, and a failure here never holds the marts back
dbt_dokumentation = build_dbt_docs_asset([publicerede_marts.key])

# the Finance Committee's yearly status, from the published marts alone
statusrapport = build_report_asset([publicerede_marts.key])

ALL_ASSETS = [*RAW_ASSETS, tryghed_dbt_assets, publicerede_marts, dbt_dokumentation, statusrapport]


def build_definitions(settings=None) -> dg.Definitions:
    settings = settings or settings_from_env()
    return dg.Definitions(
        assets=ALL_ASSETS,
        asset_checks=[*RAW_CHECKS, *MART_CHECKS],
        jobs=[alt_job],
        schedules=[aarlig_opdatering],
        sensors=[indbakke_sensor],
        resources={"tryghed": TryghedResource.from_settings(settings)},
        executor=dg.in_process_executor,
    )


defs = build_definitions()
