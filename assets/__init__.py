"""The pipeline's stages, on floors that import only downwards (docs/architecture.md):

    foundation/   settings and the warehouse's layout, the database, dbt project access, Danish formatting
    ingest/       the loaders: inbox files → raw tables, checked against the input contract
    publish/      the release (Parquet marts, manifest, polygons, BI catalog), the dbt docs
    report/       the yearly status report from the release
    commands/     commands that are not assets (baseline freeze, DST fetch)

Dagster wires them together in orchestration/; nothing here imports it.
"""
