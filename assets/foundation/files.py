"""Inbox files: which files a source folder holds, their sha256, and the year a file is named for.

The contract names every yearly file with its year (`tryghedsundersoegelse_2024.csv`,
`anmeldelser_2024_rettelser.csv.gz`); FILE_YEAR is that rule, written once and used by the loaders, the
quality checks (in SQL: DuckDB's regular expressions accept the same pattern) and the inbox sensor.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

# group 1: the year; an optional `_<suffix>` after it; the contract's extensions, optionally gzipped
FILE_YEAR = r"_(\d{4})(?:_[^/]*)?\.(?:csv|xlsx)(?:\.gz)?$"
_FILE_YEAR = re.compile(FILE_YEAR)


def year_of_file(name: str | Path) -> int | None:
    """The year in a contract file name, or None when the file is not named for a year."""
    match = _FILE_YEAR.search(Path(name).name)
    return int(match.group(1)) if match else None


def file_year_sql(column: str = "kildefil") -> str:
    """The same rule in DuckDB SQL, over a column holding the file name."""
    return f"try_cast(regexp_extract({column}, '{FILE_YEAR}', 1) as INTEGER)"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def source_files(folder: Path, patterns: tuple[str, ...], exclude: tuple[str, ...] = ()) -> list[Path]:
    """The files of one source folder that match the contract's names (and none of `exclude`: another
    source's files in the same folder, e.g. the rode layer beside the areas), in a stable order."""
    if not folder.is_dir():
        return []
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in folder.glob(pattern) if p.is_file())
    for pattern in exclude:
        found.difference_update(folder.glob(pattern))
    return sorted(found)
