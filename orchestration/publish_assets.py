"""The publishing assets: the marts as a release (Parquet + BI catalog) and the dbt docs after it."""

import dagster as dg

from assets.publish.dbt_docs import generate_dbt_docs
from assets.publish.release import code_version, publish
from orchestration.goal_table import as_markdown, latest_goals
from orchestration.ownership import OWNERS
from orchestration.ownership import code_version as source_version
from orchestration.partitions import years_from_tags
from orchestration.resources import TryghedResource


def build_publish_asset(deps: list[dg.AssetKey]) -> dg.AssetsDefinition:
    """The asset that publishes, downstream of every mart (and so of every dbt test)."""

    @dg.asset(
        key=dg.AssetKey(["publicerede_marts"]),
        deps=deps,
        group_name="publicering",
        description="The marts as a release under warehouse/udgivelser/ (Parquet, BI catalog, Excel workbook), "
                    "made current atomically (udgivelser/AKTUEL.txt).",
        kinds={"parquet", "duckdb", "excel"},
        owners=OWNERS,
        code_version=source_version("assets/publish"),
    )
    def publicerede_marts(context: dg.AssetExecutionContext, tryghed: TryghedResource) -> dg.MaterializeResult:
        settings = tryghed.settings()
        first, last = years_from_tags(context.run.tags)
        manifest = publish(settings, context.run.run_id, code_version=code_version(),
                           extra={"aar_genberegnet": {"fra": first, "til": last}})
        context.log.info(f"published {len(manifest['raekker'])} marts to {settings.marts_dir}")
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": dg.MetadataValue.int(sum(manifest["raekker"].values())),
                "marts": dg.MetadataValue.json(manifest["raekker"]),
                "maalopfyldelse": dg.MetadataValue.md(as_markdown(latest_goals(settings.marts_dir))),
                "path": dg.MetadataValue.path(str(settings.marts_dir)),
            }
        )

    return publicerede_marts


def build_dbt_docs_asset(deps: list[dg.AssetKey]) -> dg.AssetsDefinition:
    """The asset that writes the dbt docs to <warehouse>/docs/dbt/, downstream of `deps`."""

    @dg.asset(
        key=dg.AssetKey(["dbt_dokumentation"]),
        deps=deps,
        group_name="publicering",
        description="The dbt docs (every mart column described, lineage, exposures) under warehouse/docs/dbt/; "
        "open static_index.html.",
        kinds={"dbt"},
        owners=OWNERS,
        code_version=source_version("assets/publish"),
    )
    def dbt_dokumentation(context: dg.AssetExecutionContext, tryghed: TryghedResource) -> dg.MaterializeResult:
        settings = tryghed.settings()
        # the build's vars (same years) and its parsed manifest (parsed while the raw stage was validated)
        vars_ = settings.dbt_vars(years_from_tags(context.run.tags))
        folder = generate_dbt_docs(settings.layout.dbt_docs_dir, vars_, settings.database, ahead=context.run.run_id)
        context.log.info(f"dbt docs: {folder / 'static_index.html'}")
        return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(folder / "static_index.html"))})

    return dbt_dokumentation
