"""The dbt docs (`dbt docs generate`) under <warehouse>/docs/dbt/: every model and mart column with its
description, the lineage graph and the exposures (the yearly status, the BI catalog).

dbt runs in this process (assets.foundation.dbt_project.invoke), like the build, against the working
database after the build. Its own target folder (a temporary one) keeps the build's untouched; within a
run it takes the build's parsed manifest (dbt_project.parse_ahead), otherwise invoke's parse starts from the
prepared partial-parse file, so dbt does not parse the whole project again. `--static`
writes static_index.html, one self-contained page (manifest and catalog inlined) that opens from file://;
index.html with manifest.json and catalog.json is the usual site (it needs a web server: browsers refuse
to fetch the JSON from file://). `--no-compile` skips compiling every model's SQL: the catalog (the
columns and their types) comes from the database either way, and the descriptions from the manifest.

Layout:
  docs/dbt/static_index.html   open this one (works from file://)
  docs/dbt/index.html          the same site, reading manifest.json and catalog.json beside it
  docs/dbt/manifest.json, catalog.json
"""

import os
import tempfile
from pathlib import Path

from assets.foundation.dbt_project import invoke

DOCS_FILES = ("static_index.html", "index.html", "manifest.json", "catalog.json")


class DbtDocsError(Exception):
    """dbt docs generate failed."""


def generate_dbt_docs(out_dir: Path, vars_: dict, database: Path, ahead: str | None = None) -> Path:
    """Run `dbt docs generate` in-process on the working `database`; write the docs into `out_dir` and
    return it.

    `vars_` should be the build's vars (Settings.dbt_vars, with the run's years), so dbt's parse finds the
    prepared partial parse valid; with `ahead` (the run) the build's parsed manifest is used again instead
    (dbt_project.parse_ahead). Each file is written aside and moved into place, so a reader never sees
    half a file.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".dbt_docs_", dir=out_dir) as tmp:
        target = Path(tmp)
        # `docs generate --no-compile` does not write manifest.json (which --static inlines): invoke's parse
        # (partial: only changed files) writes it into the same target first
        result = invoke(["docs", "generate", "--quiet", "--static", "--no-compile"], vars_, target_path=target,
                        database=database, ahead=ahead)
        if not result.success:
            raise DbtDocsError(f"dbt docs generate failed: {result.exception}")
        missing = [name for name in DOCS_FILES if not (target / name).is_file()]
        if missing:
            raise DbtDocsError(f"dbt docs generate wrote no {', '.join(missing)}")
        for name in DOCS_FILES:
            os.replace(target / name, out_dir / name)
    return out_dir
