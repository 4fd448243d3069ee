"""The yearly status report for the Finance Committee (Økonomiudvalget), built from the published marts.

    build_report(marts_dir, year, out_dir) -> Path     the HTML page (+ PDF) for one year   (build)
    main_report(year, warehouse) -> int                 the command line: warehouse/reports/status_<year>.html
    build_report_asset(deps)                            the Dagster asset `statusrapport`   (asset)

Modules: data (reading the release), charts and kort (matplotlib figures), content (the words and
numbers), template (the HTML), build (putting it together), cli, asset. Nothing is imported here: the
package is imported when Dagster loads the definitions, and matplotlib alone costs seconds, so it loads
only when a report is built.
"""
