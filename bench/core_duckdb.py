"""Variant (c) of the bench: the core figures by one hand-written DuckDB SQL script on the extracts.

`python bench/core_duckdb.py INBOX OUT` runs bench/core_figures.sql and writes OUT/kriminalitet.parquet
(aar, omraade_kode, gruppe, antal) and OUT/tryghed.parquet (aar, omraade_kode, maal, antal_svar, andel).
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from assets.foundation.database import spatial_extension_path

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent / "dbt_project" / "seeds"


def main(inbox: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"LOAD '{spatial_extension_path()}'")
    script = (HERE / "core_figures.sql").read_text(encoding="utf-8").format(inbox=inbox.resolve(), seeds=SEEDS)
    for statement in script.split(";\n"):
        if statement.strip() and not all(line.strip().startswith("--") or not line.strip()
                                         for line in statement.splitlines()):
            con.execute(statement)
    con.execute(f"copy kriminalitet to '{out / 'kriminalitet.parquet'}' (format parquet)")
    con.execute(f"copy tryghed to '{out / 'tryghed.parquet'}' (format parquet)")
    con.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
