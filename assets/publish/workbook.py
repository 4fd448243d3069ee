"""The Excel workbook of a release: a "Læs mig" sheet, then one sheet per mart.

"Læs mig" holds what a reader of the numbers needs beside them: what each mart is, every column's
description (the dbt docs, `_marts.yml`) and the release's manifest (run, time, code version, thresholds,
row counts, input files with sha256, police revisions). The mart sheets hold the Parquet files' rows as they
are, in the same order, with typed cells (numbers, dates, booleans; empty for a missing value), so a
pivot table or Power Query sees what BI tools see.

Written with openpyxl's write-only mode (streamed, about a second for the sample's ~6,000 rows).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from assets.foundation.dbt_project import mart_docs, mart_names

README_SHEET = "Læs mig"
EXCEL_MAX_ROWS = 1_048_576
# control characters an .xlsx cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE)
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


class WorkbookError(Exception):
    pass


def write_workbook(release_dir: Path, path: Path, manifest: dict) -> Path:
    """Write `path` from the release in `release_dir` (its Parquet marts) and its manifest."""
    import pyarrow.parquet as pq
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    release_dir, path = Path(release_dir), Path(path)
    docs = mart_docs()
    tables = {mart: pq.read_table(release_dir / f"{mart}.parquet") for mart in mart_names()}
    for mart, table in tables.items():
        if table.num_rows + 1 > EXCEL_MAX_ROWS:
            raise WorkbookError(f"mart {mart} has {table.num_rows} rows, more than an Excel sheet holds")

    workbook = Workbook(write_only=True)
    bold, title = Font(bold=True), Font(bold=True, size=14)

    def cell(sheet, value, font=None):
        c = WriteOnlyCell(sheet, value=_clean(value))
        if isinstance(value, str) and value.startswith("="):
            c.data_type = "s"  # text, never a formula
        if font is not None:
            c.font = font
        return c

    readme = workbook.create_sheet(README_SHEET)
    for letter, width in zip("ABCD", (28, 34, 100, 16), strict=True):
        readme.column_dimensions[letter].width = width
    readme.append([cell(readme, "Amager Partnerskab – tryghed og kriminalitet: udgivne marts", title)])
    readme.append([f"Udgivelse {release_dir.name}. Ét ark pr. mart med de samme rækker som Parquet-filerne og "
                   "BI-kataloget (tryghed_katalog.duckdb) i udgivelsen. Kolonnerne er beskrevet nedenfor "
                   "(fra dbt-dokumentationen); tomme celler er manglende eller undertrykte værdier."])
    readme.append([])
    readme.append([cell(readme, v, bold) for v in ("Mart (ark)", "Rækker", "Beskrivelse")])
    for mart, table in tables.items():
        readme.append([mart, table.num_rows, docs.get(mart, {}).get("description", "")])
    readme.append([])
    readme.append([cell(readme, v, bold) for v in ("Mart", "Kolonne", "Beskrivelse")])
    for mart, table in tables.items():
        described = docs.get(mart, {}).get("columns", {})
        for column in table.column_names:
            readme.append([mart, column, described.get(column, "")])
    readme.append([])
    readme.append([cell(readme, "Manifest (manifest.json)", bold)])
    for row in _manifest_rows(manifest):
        readme.append([cell(readme, v, bold if row.header else None) for v in row.values])

    for mart, table in tables.items():
        sheet = workbook.create_sheet(mart)
        sheet.freeze_panes = "A2"
        for number, name in enumerate(table.column_names):
            sheet.column_dimensions[_letter(number)].width = max(10, min(40, len(name) + 2))
        sheet.append([cell(sheet, name, bold) for name in table.column_names])
        columns = [table.column(name).to_pylist() for name in table.column_names]
        for values in zip(*columns, strict=True):
            sheet.append([cell(sheet, v) if isinstance(v, str) and _needs_care(v) else v for v in values])

    workbook.properties.title = f"Amager Partnerskab – marts, udgivelse {release_dir.name}"
    workbook.properties.creator = "tryghed"
    workbook.save(path)
    with path.open("rb") as fh:
        os.fsync(fh.fileno())
    return path


class _Row:
    def __init__(self, values: list, header: bool = False):
        self.values, self.header = values, header


def _manifest_rows(manifest: dict) -> list[_Row]:
    """The manifest as rows: `key | value` for scalars (nested keys dotted), a small table for lists."""
    rows: list[_Row] = []

    def scalars(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                scalars(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list):
            tables.append((prefix, value))
        else:
            rows.append(_Row([prefix, value]))

    tables: list[tuple[str, list]] = []
    scalars("", manifest)
    for key, items in tables:
        rows.append(_Row([]))
        if items and all(isinstance(i, dict) for i in items):
            columns = list(dict.fromkeys(k for i in items for k in i))
            rows.append(_Row([key, *columns], header=True))
            rows.extend(_Row(["", *(_scalar(i.get(c)) for c in columns)]) for i in items)
        else:
            rows.append(_Row([key], header=True))
            rows.extend(_Row(["", _scalar(i)]) for i in items)
    return rows


def _scalar(value):
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value


def _needs_care(text: str) -> bool:
    return text.startswith("=") or ILLEGAL_CHARACTERS.search(text) is not None


def _clean(value):
    return ILLEGAL_CHARACTERS.sub("", value) if isinstance(value, str) else value


def _letter(number: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(number + 1)
