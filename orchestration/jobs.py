"""The job: everything in one run, in one process (start-up is the main cost at this data size)."""

import dagster as dg

alt_job = dg.define_asset_job(
    "tryghed_alt",
    selection=dg.AssetSelection.all(),
    description="Load the inbox, validate, build and test every model, publish the marts.",
    executor_def=dg.in_process_executor,
)
