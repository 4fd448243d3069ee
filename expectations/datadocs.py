"""The Data Docs index: one page linking the stages' Great Expectations sites and each table's newest result."""

from __future__ import annotations

import html
from pathlib import Path


def newest_results(site: Path) -> dict[str, Path]:
    """Each table's newest validation page in a stage's site (`validations/<schema>/<table>/.../*.html`).

    GX's own index of a site lists only the results of the validation that built it; a table not validated
    again (nothing changed since it passed, expectations/record.py) keeps its page, linked from here.
    """
    pages: dict[str, Path] = {}
    for page in sorted((site / "validations").glob("*/*/*/*/*.html")):
        table = ".".join(page.relative_to(site / "validations").parts[:2])
        pages[table] = page  # the folders below the table sort by run time
    return pages


def write_docs_index(root: Path, sites: dict[str, str]) -> Path:
    """A plain page linking the stages' Data Docs sites (GX rebuilds a site from its in-memory stores and
    removes pages it does not know, so each stage gets a site of its own under one root), and under each
    stage every table's newest validation result."""
    root.mkdir(parents=True, exist_ok=True)
    parts = []
    for folder, title in sites.items():
        tables = newest_results(root / folder)
        items = "".join(
            f'<li><a href="{html.escape(page.relative_to(root).as_posix())}">{html.escape(table)}</a></li>'
            for table, page in tables.items()
        )
        parts.append(f'<li><a href="{folder}/index.html">{title}</a>' + (f"<ul>{items}</ul>" if items else "")
                     + "</li>")
    links = "\n".join(parts)
    index = root / "index.html"
    index.write_text(
        '<!doctype html>\n<html lang="da"><head><meta charset="utf-8"><title>Datakvalitet</title></head>\n'
        f"<body><h1>Datakvalitet (Great Expectations)</h1>\n<ul>\n{links}\n</ul></body></html>\n",
        encoding="utf-8",
    )
    return index
