"""Floor 4: every Dagster definition (assets, checks, resources, jobs, partitions, schedule, sensor) and the
`tryghed` command line. Imported by nobody."""
