"""Floor 3: the release (release.py) with its BI catalog (catalog.py) and Excel workbook (workbook.py), which
release is current and going back to another (releases.py), the revision summary (revisions.py) and the dbt
docs (dbt_docs.py)."""
