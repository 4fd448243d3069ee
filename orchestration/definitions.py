"""The one Definitions object: raw assets → dbt models and tests → publishing → docs and status report."""

from __future__ import annotations

import dagster as dg

from assets.foundation.dbt_project import mart_names
from assets.foundation.settings import settings_from_env
from orchestration.dbt_assets import mart_keys, tryghed_dbt_assets
from orchestration.jobs import alt_job
from orchestration.publish_assets import build_dbt_docs_asset, build_publish_asset
from orchestration.quality_checks import MART_CHECKS, RAW_CHECKS
from orchestration.raw_assets import RAW_ASSETS, partnerskaber
from orchestration.report_asset import build_report_asset
from orchestration.resources import TryghedResource
from orchestration.triggers import aarlig_opdatering, indbakke_sensor

# publishing waits for every BI mart and for what dbt prepares beside them (polygons, inputs, revisions)
PUBLICATION_MODELS = ("udgivelse_omraader", "udgivelse_inputfiler", "udgivelse_revisioner")
publicerede_marts = build_publish_asset(mart_keys((*mart_names(), *PUBLICATION_MODELS)))
# after publishing: the docs describe what was published, and a failure here never holds the marts back
dbt_dokumentation = build_dbt_docs_asset([publicerede_marts.key])

# the Finance Committee's yearly status, from the published marts alone
statusrapport = build_report_asset([publicerede_marts.key])

ALL_ASSETS = [*RAW_ASSETS, partnerskaber, tryghed_dbt_assets, publicerede_marts, dbt_dokumentation, statusrapport]


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
