"""Dagster assets for ingestion: one asset per raw table, built from the source declarations.

Asset keys are `raw/<table>`, which is how dagster-dbt names the dbt sources `source('raw', <table>)`, so
the dbt models hang off these assets without further mapping.
"""


from datetime import UTC, datetime

import dagster as dg

from assets.foundation.database import connect
from assets.foundation.partnerships import load_partnerships
from assets.ingest.contract import LoadContext
from assets.ingest.loading import Source, contract_fingerprint, load_source
from assets.ingest.partnerships import TABLES as PARTNERSHIP_TABLES
from assets.ingest.partnerships import build_partnerships
from assets.ingest.sources import SOURCES
from orchestration.ownership import OWNERS, code_version
from orchestration.resources import TryghedResource


def build_raw_asset(source: Source) -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey(["raw", source.table.name]),
        group_name="raw",
        description=f"{source.description} Inbox folder `{source.folder}/`.",
        kinds={"duckdb", "python"},
        owners=OWNERS,
        # the contract, the raw table and the loader code: what a loaded file's rows depend on
        code_version=contract_fingerprint(source).removeprefix("kontrakt:")[:16],
    )
    def _load(context: dg.AssetExecutionContext, tryghed: TryghedResource) -> dg.MaterializeResult:
        settings = tryghed.settings()
        settings.warehouse.mkdir(parents=True, exist_ok=True)
        ctx = LoadContext(settings.require_inbox(), datetime.now(UTC).replace(tzinfo=None))
        with connect(settings.database, spatial=source.custom_loader is not None) as con:
            # one transaction per source: a file that breaks the contract leaves the previous raw table as it was
            con.execute("begin transaction")
            try:
                stats = load_source(con, source, ctx)
                con.execute("commit")
            except BaseException:
                con.execute("rollback")
                raise
        files = stats["filer"]
        read = sum(not f["genbrugt"] for f in files)
        context.log.info(f"raw.{source.table.name}: {stats['raekker']} rows from {len(files)} file(s), "
                         f"{read} read, {len(files) - read} unchanged since the last load")
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": dg.MetadataValue.int(stats["raekker"]),
                "files": dg.MetadataValue.int(len(files)),
                "files_read": dg.MetadataValue.int(read),
                "inputs": dg.MetadataValue.json(files),
            }
        )

    return _load


RAW_ASSETS: list[dg.AssetsDefinition] = [build_raw_asset(s) for s in SOURCES]


@dg.multi_asset(
    specs=[dg.AssetSpec(dg.AssetKey(["partnerskaber", name]), group_name="raw", kinds={"duckdb", "python"},
                        deps=[dg.AssetKey(["raw", "geo_omraader"]), dg.AssetKey(["raw", "geo_roder"])],
                        description=f"The configured partnerships (partnerskaber/*.toml): table {name}.",
                        owners=OWNERS, code_version=code_version("assets/ingest", "assets/foundation"))
           for name in PARTNERSHIP_TABLES],
    name="partnerskaber",
)
def partnerskaber(context: dg.AssetExecutionContext, tryghed: TryghedResource):
    """Every configured partnership, its areas built from the geo layers (assets/ingest/partnerships.py)."""
    settings = tryghed.settings()
    partnerships = load_partnerships(settings.partnerskaber, settings.partnerskab)
    with connect(settings.database, spatial=True) as con:
        con.execute("begin transaction")
        try:
            stats = build_partnerships(con, partnerships)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    context.log.info(f"{stats['partnerskaber']} partnership(s): "
                     f"{', '.join(p.kode for p in partnerships)}; {stats['omraader']} areas")
    for name in PARTNERSHIP_TABLES:
        yield dg.MaterializeResult(asset_key=dg.AssetKey(["partnerskaber", name]))
