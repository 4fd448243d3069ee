"""Every inbox file's sha256 and line breaks from one read of its bytes, computed beside DuckDB's reading.

The loader needs each file's sha256 (lineage, and whether a file changed since the last load), which costs
one read of the file in Python. Counting the line breaks in the same read costs next to nothing and bounds
the rows a text reader can find in the file, so the typed read can tell that it took every row without
parsing the file a second time (casting.typed_by_reader). The digests run in two background threads in
the files' order: hashlib and DuckDB both release the GIL, so on a full rebuild the next files are hashed
while DuckDB reads this one, and on a refresh the unchanged files are hashed two at a time.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileDigest:
    sha256: str
    # records a text reader can find at most (header included): every line break (LF, CRLF or a lone CR)
    # ends one, plus an unterminated last line; None when not counted (a compressed file, a loaded one)
    max_records: int | None


def digest_of(path: Path, count_lines: bool = True) -> FileDigest:
    """The file's sha256 (as assets.foundation.files.sha256_of) and its line breaks, in one read."""
    digest = hashlib.sha256()
    count = count_lines and path.suffix.lower() != ".gz"
    breaks, last, cr_at_end = 0, b"", False
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
            if count:
                breaks += chunk.count(b"\n")
                if b"\r" in chunk:  # a CR directly before an LF is one break with it (also across two chunks)
                    breaks += chunk.count(b"\r") - chunk.count(b"\r\n")
                if cr_at_end and chunk[:1] == b"\n":
                    breaks -= 1
                cr_at_end, last = chunk[-1:] == b"\r", chunk[-1:]
    records = breaks + (last not in (b"", b"\n", b"\r"))
    return FileDigest(digest.hexdigest(), records if count else None)


class Digests:
    """The digests of a source's files, started at once in background threads; `of` waits for one.

    The line breaks are counted only in the files not loaded before (`loaded`): a file loaded before is
    most likely unchanged and only its sha256 is needed; if it did change, the typed read counts its rows.
    An error reading a file (it vanished, no permission) is raised by `of` for that file, as reading it
    directly would. Leaving the `with` block drops the digests not yet started.
    """

    def __init__(self, paths: list[Path], loaded: frozenset[Path] = frozenset()):
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sha256")
        self._futures: dict[Path, Future[FileDigest]] = {
            path: self._pool.submit(digest_of, path, path not in loaded) for path in paths}

    def of(self, path: Path) -> FileDigest:
        return self._futures[path].result()

    def __enter__(self) -> Digests:
        return self

    def __exit__(self, *exc) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
