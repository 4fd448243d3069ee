"""The Dagster asset `statusrapport`: the report rebuilt after every publication."""

import dagster as dg

from orchestration.ownership import OWNERS, code_version
from orchestration.resources import TryghedResource

# "true": the run's caller waits for the PDFs after the run (assets.report.pdf.finish_prints), so the step
# does not: `tryghed run` sets it, and Chromium prints while the dbt docs are written
PDF_AFTER_RUN_TAG = "tryghed/pdf_efter_koerslen"


def build_report_asset(deps: list[dg.AssetKey]) -> dg.AssetsDefinition:
    """An asset (key `statusrapport`, group `rapportering`) writing one report per partnership,
    warehouse/reports/<code>/status_<year>.html (+ .pdf).

    The year is the newest status year (the newest survey edition, decision 9). A publication without one (e.g. a
    first run on an inbox with only the safety plan) is logged as a warning rather than failing the run:
    the marts are already published at this point and stay valid without a report.
    """

    @dg.asset(
        key=dg.AssetKey(["statusrapport"]),
        deps=list(deps),
        group_name="rapportering",
        description="The yearly status for the Finance Committee (HTML + PDF) under warehouse/reports/, "
                    "built from the published marts alone.",
        kinds={"html"},
        owners=OWNERS,
        code_version=code_version("assets/report"),
        op_tags={"dagster/priority": "1"},  # before the dbt docs, which it does not need: the PDFs print meanwhile
    )
    def statusrapport(context: dg.AssetExecutionContext, tryghed: TryghedResource) -> dg.MaterializeResult:
        # the report's libraries (matplotlib, pandas) load only when a report is written
        from assets.report.build import build_reports
        from assets.report.data import latest_year

        settings = tryghed.settings()
        year = latest_year(settings.marts_dir)
        if year is None:
            context.log.warning(f"statusrapport: ingen tryghedstal eller kriminalitetstal i {settings.marts_dir}; "
                                "ingen rapport skrevet")
            return dg.MaterializeResult(metadata={"rapport": dg.MetadataValue.text("ingen – ingen tal at rapportere")})
        paths = build_reports(settings.marts_dir, year, settings.layout.reports_dir,
                              wait=context.run.tags.get(PDF_AFTER_RUN_TAG) != "true")
        for path in paths:
            context.log.info(f"status report for {year}: {path}")
        return dg.MaterializeResult(
            metadata={"aar": dg.MetadataValue.int(year),
                      **{f"path_{p.parent.name}": dg.MetadataValue.path(str(p)) for p in paths}}
        )

    return statusrapport
