"""The Dagster asset `statusrapport`: the report rebuilt after every publication.

Built by a factory, like assets.publish.build_publish_asset, so the lead can wire it downstream of
`publicerede_marts` in orchestration/definitions.py without this package importing the definitions.

No `from __future__ import annotations` here: Dagster resolves the asset function's annotations at
definition time, and `dg` is imported inside the factory.
"""

from collections.abc import Sequence


def build_report_asset(deps: Sequence):
    """An asset (key `statusrapport`, group `rapportering`) writing warehouse/reports/status_<year>.html.

    The year is the newest status year (the newest survey edition, decision 9). A publication without one (e.g. a
    first run on an inbox with only the safety plan) is logged as a warning rather than failing the run:
    the marts are already published at this point and stay valid without a report.
    """
    import dagster as dg

    from assets.statusrapport.build import build_report
    from assets.statusrapport.cli import report_dir
    from assets.statusrapport.data import latest_year
    from orchestration.resources import TryghedResource

    @dg.asset(
        key=dg.AssetKey(["statusrapport"]),
        deps=list(deps),
        group_name="rapportering",
        description="The yearly status for the Finance Committee (HTML + PDF) under warehouse/reports/, "
                    "built from the published marts alone.",
        kinds={"html"},
    )
    def statusrapport(context: dg.AssetExecutionContext, tryghed: TryghedResource) -> dg.MaterializeResult:
        settings = tryghed.settings()
        year = latest_year(settings.marts_dir)
        if year is None:
            context.log.warning(f"statusrapport: no safety or crime figures in {settings.marts_dir}; no report")
            return dg.MaterializeResult(metadata={"rapport": dg.MetadataValue.text("ingen – ingen tal at rapportere")})
        path = build_report(settings.marts_dir, year, report_dir(settings.warehouse))
        context.log.info(f"status report for {year}: {path}")
        return dg.MaterializeResult(
            metadata={"aar": dg.MetadataValue.int(year), "path": dg.MetadataValue.path(str(path))}
        )

    return statusrapport
