"""The Data Docs index: one page linking the stages' Great Expectations sites."""

from __future__ import annotations

from pathlib import Path


def write_docs_index(root: Path, sites: dict[str, str]) -> Path:
    """A plain page linking the stages' Data Docs sites (GX rebuilds a site from its in-memory stores and
    removes pages it does not know, so each stage gets a site of its own under one root)."""
    root.mkdir(parents=True, exist_ok=True)
    links = "\n".join(
        f'<li><a href="{folder}/index.html">{title}</a></li>' for folder, title in sites.items()
    )
    index = root / "index.html"
    index.write_text(
        '<!doctype html>\n<html lang="da"><head><meta charset="utf-8"><title>Datakvalitet</title></head>\n'
        f"<body><h1>Datakvalitet (Great Expectations)</h1>\n<ul>\n{links}\n</ul></body></html>\n",
        encoding="utf-8",
    )
    return index
