"""Who owns the assets and which code made them: owners and code versions for every asset definition.

The Dagster UI shows both; a code version that differs from the one a materialization was made with
marks the asset as changed since ("code version changed").
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

# the data team of Sikker By (the City of Copenhagen's safety partnerships), who run the pipeline
OWNERS = ["team:sikker-by"]

_ROOT = Path(__file__).resolve().parent.parent


@cache
def code_version(*packages: str) -> str:
    """A short hash of the Python source of the given packages (paths relative to the project root)."""
    digest = hashlib.sha256()
    for package in packages:
        for path in sorted((_ROOT / package).rglob("*.py")):
            digest.update(path.relative_to(_ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
