"""The releases under `warehouse/udgivelser/`: which one is current, listing them, going back to one.

A release folder is complete when it gets its name (publishing writes it aside as `.<name>.bygges` and
renames it) and is never written to afterwards. It holds the Parquet marts, `manifest.json`,
`omraader.geojson`, the BI catalog `tryghed_katalog.duckdb` (the marts as tables) and the Excel workbook
`tryghed_marts.xlsx`, so a release folder copied on its own is readable too.

Making a release current (`make_current`, for a new release and for a rollback alike), each step atomic:
  1. the catalog and the workbook are copied beside the warehouse's ones and renamed over them (os.replace),
  2. the `marts` symlink is re-pointed (a convenience where the file system has symlinks; never relied on),
  3. the pointer `udgivelser/AKTUEL.txt` is replaced with the release's name: the commit point. Every
     reader in the code goes by it (WarehouseLayout.marts_dir), so a crash before it leaves the previous
     release current for the code, and the next run or rollback puts all of it in step again.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from assets.foundation import formatting as fmt
from assets.foundation.dbt_project import mart_names
from assets.foundation.settings import Settings, WarehouseLayout
from assets.publish.catalog import write_catalog
from assets.publish.workbook import write_workbook

MANIFEST_FILE = "manifest.json"


class ReleaseError(Exception):
    """A release cannot be made current; the message is one line a user can act on."""


def read_manifest(marts_dir: Path) -> dict:
    """The manifest of the published marts, or {} when nothing has been published yet."""
    path = Path(marts_dir) / MANIFEST_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


@dataclass(frozen=True)
class Release:
    path: Path
    manifest: dict

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def published(self) -> str:
        return self.manifest.get("udgivet") or ""

    @property
    def run_id(self) -> str:
        return self.manifest.get("run_id") or ""

    @property
    def input_files(self) -> int | None:
        files = self.manifest.get("inputfiler")
        return None if files is None else len(files)

    @property
    def thresholds(self) -> dict | None:
        return self.manifest.get("taerskler")

    def missing(self) -> list[str]:
        """What a complete release has and this one lacks (manifest, a mart's Parquet file)."""
        if not (self.path / MANIFEST_FILE).exists():
            return [MANIFEST_FILE]
        marts = self.manifest.get("raekker") or dict.fromkeys(mart_names())
        return [f"{m}.parquet" for m in marts if not (self.path / f"{m}.parquet").exists()]


def list_releases(layout: WarehouseLayout) -> list[Release]:
    """Every release folder, newest first (by the time in its manifest, then by name)."""
    if not layout.releases_dir.is_dir():
        return []
    releases = [Release(p, read_manifest(p)) for p in layout.releases_dir.iterdir()
                if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")]
    return sorted(releases, key=lambda r: (r.published, r.name), reverse=True)


def make_current(layout: WarehouseLayout, release: Path) -> None:
    """Make `release` (a complete folder under udgivelser/) the current one: catalog, workbook, link, pointer."""
    release = Path(release)
    catalog = release / layout.catalog.name
    if catalog.exists():
        _replace_with_copy(catalog, layout.catalog)
    else:  # a release from before the catalog travelled with it: built beside, never inside it
        os.replace(write_catalog(release, _aside(layout.catalog)), layout.catalog)
    workbook = release / layout.workbook.name
    if workbook.exists():
        _replace_with_copy(workbook, layout.workbook)
    else:
        os.replace(write_workbook(release, _aside(layout.workbook), read_manifest(release)), layout.workbook)
    _swap_symlink(layout.marts_link, release)
    _write_pointer(layout, release.name)


def rollback(layout: WarehouseLayout, to: str | None = None) -> tuple[Release | None, Release]:
    """Make the release before the current one current (or the one named `to`). Returns (before, now)."""
    releases = list_releases(layout)
    if not releases:
        raise ReleaseError(f"intet er udgivet i {layout.root} endnu (kør `tryghed run`)")
    current_path = layout.current_release()
    current = next((r for r in releases if current_path is not None and r.path == current_path), None)
    if to is not None:
        name = Path(to).name
        target = next((r for r in releases if r.name == name), None)
        if target is None:
            raise ReleaseError(f"ingen udgivelse {name!r} i {layout.releases_dir} "
                               f"(udgivelserne: {', '.join(r.name for r in releases)})")
    else:
        if current is None:
            raise ReleaseError(f"den aktuelle udgivelse ({current_path.name if current_path else 'ingen'}) findes "
                               "ikke blandt udgivelserne; vælg én med --to (se `tryghed releases`)")
        older = releases[releases.index(current) + 1:]
        if not older:
            raise ReleaseError(f"{current.name} er den ældste udgivelse, der er gemt; der er ingen før den")
        target = older[0]
    missing = target.missing()
    if missing:
        raise ReleaseError(f"udgivelsen {target.name} er ufuldstændig (mangler {', '.join(missing)}); "
                               "den er ikke gjort aktuel")
    if current is None or target.path != current.path:
        make_current(layout, target.path)
    return current, target


def prune(layout: WarehouseLayout, keep: int) -> None:
    """Keep the `keep` newest releases and the current one; remove folders left by an interrupted publish."""
    current = layout.current_release()
    for old in list_releases(layout)[keep:]:
        if old.path != current:
            shutil.rmtree(old.path, ignore_errors=True)
    for stale in layout.releases_dir.glob(".*.bygges"):
        shutil.rmtree(stale, ignore_errors=True)


def describe(release: Release) -> str:
    """'<name> (udgivet 30. november 2026 kl. 19.40, kørsel eebc42e7-…)' for a message."""
    return f"{release.name} (udgivet {fmt.timestamp(release.published)}, kørsel {release.run_id or fmt.MISSING})"


def releases_table(layout: WarehouseLayout) -> str:
    """The releases, newest first, the current one marked with *: what `tryghed releases` prints."""
    releases = list_releases(layout)
    if not releases:
        return f"Ingen udgivelser i {layout.releases_dir} endnu (kør `tryghed run`)."
    current = layout.current_release()
    rows = [("", "udgivelse", "udgivet", "kørsel (run id)", "inputfiler", "tærskler")]
    for r in releases:
        thresholds = r.thresholds
        rows.append((
            "*" if r.path == current else "",
            r.name,
            fmt.timestamp(r.published),
            r.run_id or fmt.MISSING,
            fmt.MISSING if r.input_files is None else str(r.input_files),
            " ".join(f"{k}={v}" for k, v in thresholds.items()) if thresholds else "ikke registreret",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = [f"Udgivelser i {layout.releases_dir}, nyeste først (* = aktuel):"]
    for row in rows:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].ljust(widths[2]),
                 row[3].ljust(widths[3]), row[4].rjust(widths[4]), row[5]]
        lines.append("  ".join(cells).rstrip())
    if current is None or all(r.path != current for r in releases):
        lines.append("Ingen af dem er aktuel: gør én aktuel med `tryghed rollback --to <udgivelse>`.")
    return "\n".join(lines)


def main_releases(settings: Settings) -> int:
    print(releases_table(settings.layout))
    return 0


def main_rollback(settings: Settings, to: str | None = None) -> int:
    """`tryghed rollback [--to <release>]`: prints what is current now; 1 with one line on stderr if impossible."""
    layout = settings.layout
    try:
        before, now = rollback(layout, to)
    except ReleaseError as error:
        print(f"tryghed rollback: {error}", file=sys.stderr)
        return 1
    if before is not None and before.path == now.path:
        print(f"{describe(now)} er allerede den aktuelle udgivelse; intet ændret.")
        return 0
    print(f"Aktuel udgivelse er nu {describe(now)}")
    if before is not None:
        print(f"  (før: {describe(before)}; den er bevaret og kan gøres aktuel igen med "
              f"`tryghed rollback --to {before.name}`)")
    print(f"  katalog: {layout.catalog}\n  Excel: {layout.workbook}\n  marts: {layout.marts_dir}")
    return 0


def _aside(path: Path) -> Path:
    """The temporary name a file is written under before it is renamed over `path`."""
    tmp = path.with_name(f".{path.name}.ny")
    tmp.unlink(missing_ok=True)
    return tmp


def _replace_with_copy(source: Path, target: Path) -> None:
    tmp = _aside(target)
    shutil.copyfile(source, tmp)
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)  # atomic on POSIX and on Windows (same folder)


def _write_pointer(layout: WarehouseLayout, name: str) -> None:
    tmp = _aside(layout.current_pointer)
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, layout.current_pointer)


def _swap_symlink(link: Path, target: Path) -> None:
    """Re-point `marts` at `target` in one rename; skipped where the file system has no symlinks."""
    from datetime import datetime

    if link.exists() and not link.is_symlink():
        # a plain folder (an earlier layout, or a copy that followed the link): kept as a release, not deleted
        link.rename(link.parent / "udgivelser" / f"tidligere_{datetime.now():%Y%m%dT%H%M%S}")
    tmp = link.with_name(f".{link.name}.ny")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    try:
        os.symlink(os.path.relpath(target, link.parent), tmp, target_is_directory=True)
    except OSError:
        return  # no symlinks here (e.g. a share or Windows without the right): the pointer is enough
    os.replace(tmp, link)
