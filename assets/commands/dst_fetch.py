"""Fetch Danmarks Statistik StatBank tables into the inbox (`tryghed fetch dst STRAF11 FOLK1A --from 2014`).

Why this exists: the loader (assets/ingest/sources/dst.py) reads `dst/<TABLE>.csv` exactly as the StatBank API returns a
CSV export with codes. Saving those files by hand from the web is easy to get wrong (labels instead of codes,
the wrong variables), so this module asks the API for precisely the selection the marts need and writes the
answer into the inbox unchanged.

Design choices, each for a reason:
- POST a JSON body to `<base>/data` (the API's documented, recommended way; GET with URL-encoded `OMRÅDE=`
  parameters works too but is easy to mis-encode). `valuePresentation=Code` because the contract wants codes;
  `lang=da` because the CSV header is the Danish variable codes (`OMRÅDE`, `KØN`) the loader matches on.
- Time is selected as `>=<year>K1`, and rows before `<year>` are also dropped locally: if the server ignored
  the range, the file still holds only what was asked for. When nothing is dropped the bytes are written
  exactly as received (BOM, line endings and all), so the file's sha256 is the API's answer.
- All tables are downloaded and checked before any file is replaced, and each file is replaced atomically
  (temp file in the same folder, then os.replace): a failed or partial fetch never leaves a half file, an
  empty file, or a mix of new and old tables, and never removes the previous good file.
- Only the standard library (urllib): the fetch runs on the analysts' machines and in CI without extras.
  urllib honours HTTP(S)_PROXY, and TRYGHED_STATBANK_URL points the fetch at a mirror or a test stub.
- Every failure is one `FetchError` line a non-developer can act on (offline, HTTP status with the API's own
  message, or which table's body was wrong and how).
"""

from __future__ import annotations

import json
import os
import re
import ssl
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path

from assets.foundation import formatting as fmt
from assets.foundation.settings import SAMPLE_INBOX
from assets.ingest.raw_schema import DST_FOLK1A, DST_STRAF11, RawTable

DEFAULT_BASE_URL = "https://api.statbank.dk/v1"
BASE_URL_ENV = "TRYGHED_STATBANK_URL"
INBOX_FOLDER = "dst"

_TIME_CODE = re.compile(r"^(\d{4})(K[1-4]|M(0[1-9]|1[0-2]))?$")
_AREA_CODE = re.compile(r"^\d{3}$")
_MAX_BODY = 200 * 1024 * 1024  # far above any selection here; guards against a runaway response


class FetchError(Exception):
    """A fetch failed. str() is one readable line, meant to be shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))


@dataclass(frozen=True)
class TableSpec:
    """What to ask StatBank for, per table: only the levels the marts use, so the answer stays small
    (well under the CSV format's cell limit) and hierarchical totals are not mixed in by accident."""

    name: str
    variables: tuple[tuple[str, tuple[str, ...]], ...]  # (variable code, values) except time
    raw: RawTable  # the loader's contract: which header columns must be present
    time_variable: str = "Tid"

    def request_body(self, first_year: int) -> dict:
        variables = [{"code": code, "values": list(values)} for code, values in self.variables]
        variables.append({"code": self.time_variable, "values": [f">={first_year}K1"]})
        return {
            "table": self.name,
            "format": "CSV",
            "valuePresentation": "Code",
            "lang": "da",
            "variables": variables,
        }


TABLES: dict[str, TableSpec] = {
    # Reported crimes: the municipality (101) and the whole country (000) for comparison; every offence
    # code, since the hierarchy (TOT ⊃ 1 ⊃ 12 ⊃ 1220) is resolved downstream, one level at a time.
    "STRAF11": TableSpec(
        name="STRAF11",
        variables=(("OMRÅDE", ("000", "101")), ("OVERTRÆD", ("*",))),
        raw=DST_STRAF11,
    ),
    # Population of the municipality: totals by sex (the marts use the totals; the parts are cheap and
    # useful for checks). ALDER and CIVILSTAND at their totals only: every age would be ~130x larger.
    "FOLK1A": TableSpec(
        name="FOLK1A",
        variables=(("OMRÅDE", ("101",)), ("KØN", ("TOT", "1", "2")), ("ALDER", ("IALT",)),
                   ("CIVILSTAND", ("TOT",))),
        raw=DST_FOLK1A,
    ),
}


def resolve_base_url(base_url: str | None = None) -> str:
    """The API root: an explicit argument wins, then TRYGHED_STATBANK_URL, then the public API."""
    url = base_url or os.environ.get(BASE_URL_ENV, "").strip() or DEFAULT_BASE_URL
    return url.rstrip("/")


def fetch(tables: list[str], inbox: Path, first_year: int, base_url: str | None = None,
          timeout: float = 30) -> dict[str, int]:
    """Fetch `tables` from StatBank into `<inbox>/dst/<TABLE>.csv`; returns the data rows written per table.

    Nothing in the inbox changes unless every table was fetched and checked.
    """
    specs = _specs(tables)
    root = resolve_base_url(base_url)
    prepared: list[tuple[TableSpec, bytes, int]] = []
    for spec in specs:
        body = _request(spec, root, first_year, timeout)
        data, rows = _validate_and_filter(spec, body, first_year)
        prepared.append((spec, data, rows))
    folder = Path(inbox) / INBOX_FOLDER
    written: dict[str, int] = {}
    for spec, data, rows in prepared:
        _write_atomically(folder / f"{spec.name}.csv", data)
        written[spec.name] = rows
    return written


def main_fetch(argv_tables: list[str], inbox: Path, first_year: int) -> int:
    """CLI entry (`tryghed fetch dst ...`): one line per written file, or one error line and exit code 1.

    The bundled sample is generated (`make sample`), never fetched into: real data there would be
    committed by the next `git commit -a`.
    """
    if Path(inbox).resolve() == SAMPLE_INBOX.resolve():
        print(f"tryghed: fetch refused: {inbox} is the bundled sample (only `make sample` writes there); "
              "pass --inbox with the real inbox", file=sys.stderr)
        return 2
    try:
        written = fetch(argv_tables, inbox, first_year)
    except FetchError as exc:
        print(f"tryghed: fetch failed: {exc}", file=sys.stderr)
        return 1
    for name, rows in written.items():
        print(f"{INBOX_FOLDER}/{name}.csv: {fmt.number(rows, 0)} rows")
    return 0


# --- internals ---------------------------------------------------------------------------------------------


def _specs(tables: list[str]) -> list[TableSpec]:
    """Known tables, in the order given, without repeats; unknown names fail before any network traffic."""
    if not tables:
        raise FetchError(f"no table given (known: {', '.join(sorted(TABLES))})")
    specs: list[TableSpec] = []
    for name in tables:
        spec = TABLES.get(name.strip().upper())
        if spec is None:
            raise FetchError(f"unknown StatBank table {name!r} (known: {', '.join(sorted(TABLES))})")
        if spec not in specs:
            specs.append(spec)
    return specs


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


def _request(spec: TableSpec, root: str, first_year: int, timeout: float) -> bytes:
    """POST the data request; every transport or HTTP failure becomes a FetchError with one line."""
    url = f"{root}/data"
    payload = json.dumps(spec.request_body(first_year), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=payload, method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "Accept": "text/csv, */*",
                 "User-Agent": "tryghed-pipeline (dst fetch)"},
    )
    host = _host(root)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(_MAX_BODY + 1)
    except urllib.error.HTTPError as exc:  # before URLError: HTTPError is a subclass
        raise FetchError(f"Danmarks Statistik at {host} answered HTTP {exc.code} for {spec.name}: "
                         f"{_api_message(exc)}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, ssl.SSLError):
            raise FetchError(f"TLS failure talking to Danmarks Statistik at {host} (a proxy intercepting "
                             f"HTTPS?): {_reason(reason)}") from None
        raise FetchError(f"cannot reach Danmarks Statistik at {host} (offline?): {_reason(reason)}") from None
    except TimeoutError as exc:  # socket.timeout is an alias of it
        raise FetchError(f"cannot reach Danmarks Statistik at {host} (offline?): no answer within "
                         f"{timeout:g} s ({_reason(exc)})") from None
    except (OSError, HTTPException) as exc:  # connection reset, truncated body, ...
        raise FetchError(f"connection to Danmarks Statistik at {host} broke while fetching {spec.name}: "
                         f"{_reason(exc)}") from None
    if len(body) > _MAX_BODY:
        raise FetchError(f"{spec.name}: the answer from {host} is larger than {_MAX_BODY // 2**20} MB; "
                         "refusing it")
    return body


def _reason(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    text = str(reason)
    return text or type(reason).__name__


def _api_message(exc: urllib.error.HTTPError) -> str:
    """The API's own explanation: JSON {"errorTypeCode": ..., "message": ...}, else the start of the body."""
    try:
        raw = exc.read(64 * 1024)
    except (OSError, HTTPException):
        raw = b""
    text = raw.decode("utf-8-sig", errors="replace").strip()
    try:
        answer = json.loads(text)
    except ValueError:
        answer = None
    if isinstance(answer, dict) and answer.get("message"):
        code = answer.get("errorTypeCode")
        return f"{answer['message']}" + (f" ({code})" if code else "")
    if text:
        return text[:300] + ("…" if len(text) > 300 else "")
    return exc.reason or "no message"


def _fields(line: str) -> list[str]:
    return [f.strip().strip('"').strip() for f in line.split(";")]


def _validate_and_filter(spec: TableSpec, body: bytes, first_year: int) -> tuple[bytes, int]:
    """Check the body is the CSV the loader expects and drop rows before `first_year`.

    Returns the bytes to write (the body itself when nothing was dropped) and the number of data rows.
    """
    what = f"{spec.name}: the answer from Danmarks Statistik is not the expected CSV"
    if not body.strip(b"\xef\xbb\xbf \t\r\n"):
        raise FetchError(f"{what}: the body is empty")
    # split the bytes (not the text) so the lines written are exactly the lines received; a UTF-8
    # multi-byte character never contains \r or \n, so decoding line by line is safe
    lines = body.splitlines(keepends=True)
    decoded: list[str] = []
    for number, raw in enumerate(lines, start=1):
        try:
            decoded.append(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise FetchError(f"{what}: line {number} is not UTF-8 (byte {exc.start})") from None
    header_text = decoded[0].lstrip("\ufeff").rstrip("\r\n")
    if header_text.lstrip().startswith(("<", "{", "[")):
        raise FetchError(f"{what}: it looks like HTML/JSON, starting {header_text.strip()[:80]!r}")
    header = _fields(header_text)
    if len(header) < 2 or header[-1].upper() != "INDHOLD":
        raise FetchError(f"{what}: the header should be ';'-separated variable codes ending with INDHOLD, "
                         f"got {header_text[:120]!r}")
    upper = [h.upper() for h in header]
    required = [c.header for c in spec.raw.columns if c.required]
    missing = [c for c in required if c.upper() not in upper]
    if missing:
        raise FetchError(f"{what}: the header lacks {', '.join(missing)} (got {';'.join(header)}); "
                         "was it exported with codes (valuePresentation=Code, lang=da)?")
    time_col = upper.index(spec.time_variable.upper()) if spec.time_variable.upper() in upper else None
    if time_col is None:
        raise FetchError(f"{what}: no {spec.time_variable.upper()} column in the header")
    area_col = upper.index("OMRÅDE") if "OMRÅDE" in upper else None

    keep = [lines[0]]
    rows = 0
    dropped = 0
    for number, (raw, line) in enumerate(zip(lines[1:], decoded[1:], strict=True), start=2):
        content = line.rstrip("\r\n")
        if not content.strip():
            keep.append(raw)  # a trailing blank line is kept as received
            continue
        fields = _fields(content)
        if len(fields) != len(header):
            raise FetchError(f"{what}: line {number} has {len(fields)} fields, the header {len(header)}")
        match = _TIME_CODE.match(fields[time_col])
        if not match:
            raise FetchError(f"{what}: line {number}: {fields[time_col]!r} is not a time code like 2024K1")
        if area_col is not None and not _AREA_CODE.match(fields[area_col]):
            raise FetchError(f"{what}: line {number}: area {fields[area_col]!r} is not a code "
                             "(labels instead of codes?)")
        if int(match.group(1)) < first_year:
            dropped += 1
            continue
        keep.append(raw)
        rows += 1
    if rows == 0:
        raise FetchError(f"{spec.name}: Danmarks Statistik returned no rows from {first_year} on; "
                         "keeping the previous file")
    return (body if dropped == 0 else b"".join(keep)), rows


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a hidden temp file beside `path`, flush to disk, then os.replace: readers see the old file
    or the new one, never a half one. The temp name (`.NAME.csv.<random>.part`) matches no loader pattern."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); keep the previous file's mode, else the usual 0644
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
