"""Floor 3: the release (release.py), the revision summary (revisions.py) and the dbt docs (dbt_docs.py)."""
