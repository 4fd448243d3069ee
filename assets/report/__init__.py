"""The yearly status report for the Finance Committee (Økonomiudvalget), built from the published marts.

    build_report(marts_dir, year, out_dir) -> Path     the HTML page (+ PDF) for one year   (build)
    main_report(settings, year) -> int                  the command: warehouse/reports/status_<year>.html (cli)

Modules: data (reading the release), charts and kort (matplotlib figures), content (the words and
numbers), template (the HTML), build (putting it together), pdf (Chromium printing the page), cli.
The Dagster asset `statusrapport` is wired in orchestration/report_asset.py. Nothing is imported here:
matplotlib alone costs seconds, so it loads only when a report is built. Numbers are formatted by
assets/foundation/formatting.py.
"""
