"""Shared helpers that make every output byte-deterministic."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)
_ZIP_TIME = (2025, 1, 1, 0, 0, 0)


def rng(seed: int, *keys: object) -> np.random.Generator:
    """One independent stream per (seed, keys): changing one source or year never shifts another."""
    entropy = [int(seed)] + [zlib.crc32(str(k).encode("utf-8")) for k in keys]
    return np.random.default_rng(np.random.SeedSequence(entropy))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]], sep: str = ";") -> tuple[str, int]:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\n")
    w.writerow(header)
    n = 0
    for r in rows:
        w.writerow(r)
        n += 1
    return buf.getvalue(), n


def write_bytes(path: Path, data: bytes, gz: bool = False) -> None:
    """gzip with mtime=0 and no file name in the header, so the bytes depend on content only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if gz:
        out = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as g:
            g.write(data)
        data = out.getvalue()
    path.write_bytes(data)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]], sep: str = ";",
              bom: bool = False, gz: bool = False) -> int:
    text, n = csv_text(header, rows, sep)
    write_bytes(path, (("\ufeff" if bom else "") + text).encode("utf-8"), gz=gz)
    return n


def dec(x: float, nd: int = 1, comma: bool = False) -> str:
    s = f"{x:.{nd}f}"
    return s.replace(".", ",") if comma else s


def save_xlsx(wb, path: Path) -> None:
    """openpyxl stamps 'now' into docProps/core.xml and into every zip entry; both are pinned here."""
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "samplegen"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, src.read(info.filename))
    write_bytes(path, out.getvalue())
