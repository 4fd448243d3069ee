"""Floor 2: the loaders. Each inbox source (sources/) is read, checked against the input contract and
loaded into DuckDB `raw.<table>` with lineage."""
