"""The StatBank fetcher against a local stub of api.statbank.dk on loopback.

The stub answers in the API's recorded format (the committed sample exports, and the first lines of a real
StatBank API CSV), records every request, and is shut down after each test. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assets.commands.dst_fetch import BASE_URL_ENV, DEFAULT_BASE_URL, FetchError, fetch, main_fetch, resolve_base_url
from assets.ingest.loading import load_source
from assets.ingest.sources import dst

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "dst"

# First lines of a real StatBank API CSV export with codes (../shared/realdata/dst-folk1a-api-csv-jonasrex,
# byte-identical): no BOM, LF, no CIVILSTAND column (eliminated), first quarter of each year only.
REAL_FOLK1A_LINES = [
    "OMRÅDE;KØN;ALDER;TID;INDHOLD",
    "000;1;0;2008K1;32976", "000;1;0;2009K1;33656", "000;1;0;2010K1;32435", "000;1;0;2011K1;32628",
    "000;1;0;2012K1;30184", "000;1;0;2013K1;29991", "000;1;0;2014K1;28751", "000;1;0;2015K1;29375",
    "000;1;0;2016K1;30049", "000;1;0;2017K1;31971", "000;1;0;2018K1;31624", "000;1;0;2019K1;31754",
    "000;1;0;2020K1;31649",
    "000;1;1;2008K1;33797", "000;1;1;2009K1;33212", "000;1;1;2010K1;33984", "000;1;1;2011K1;32714",
    "000;1;1;2012K1;32854", "000;1;1;2013K1;30402", "000;1;1;2014K1;30273", "000;1;1;2015K1;29064",
    "000;1;1;2016K1;29750", "000;1;1;2017K1;30364", "000;1;1;2018K1;32226", "000;1;1;2019K1;31799",
    "000;1;1;2020K1;31880",
]
PREVIOUS = "\ufeffOMRÅDE;OVERTRÆD;TID;INDHOLD\n101;TOT;2013K4;1\n".encode()


class StatBankStub:
    """A tiny stand-in for api.statbank.dk: POST /v1/data answers from `responses[table]`."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.responses: dict[str, tuple[int, bytes, str]] = {}
        self.delay = 0.0
        self.release = threading.Event()  # set at teardown so a delayed answer never outlives the test
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw.decode("utf-8"))
                except ValueError:
                    body = None
                stub.requests.append({"method": "POST", "path": self.path, "headers": dict(self.headers),
                                      "body": body})
                if stub.delay:
                    stub.release.wait(stub.delay)
                table = body.get("table") if isinstance(body, dict) else None
                status, payload, ctype = stub.responses.get(table, (
                    404, json.dumps({"errorTypeCode": "TABLE-NOTFOUND",
                                     "message": f"Tabellen {table} findes ikke"}).encode(), "application/json"))
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):  # noqa: N802
                stub.requests.append({"method": "GET", "path": self.path, "headers": dict(self.headers),
                                      "body": None})
                self.send_error(405)

            def log_message(self, *args):  # keep pytest's output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, client_address: None  # a client that gave up is fine
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        # bounded: the stub stops by itself even if a test's teardown never runs
        self.watchdog = threading.Timer(60, self.server.shutdown)
        self.watchdog.daemon = True

    def serve(self, table: str, body: bytes, status: int = 200, ctype: str = "text/csv; charset=utf-8") -> None:
        self.responses[table] = (status, body, ctype)

    def start(self) -> None:
        self.thread.start()
        self.watchdog.start()

    def stop(self) -> None:
        self.release.set()
        self.watchdog.cancel()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _no_proxy_no_override(monkeypatch):
    """Loopback must not go through a proxy from the environment, and no override leaks in."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                 BASE_URL_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def statbank():
    stub = StatBankStub()
    stub.start()
    yield stub
    stub.stop()


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_previous(inbox: Path, name: str = "STRAF11") -> Path:
    path = inbox / "dst" / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PREVIOUS)
    return path


def assert_untouched(inbox: Path, previous: Path) -> None:
    assert previous.read_bytes() == PREVIOUS
    assert sorted(p.name for p in (inbox / "dst").iterdir()) == [previous.name]  # no temp file left


def test_fetch_writes_sample_format_files_the_loader_accepts(statbank, con, inbox, ctx):
    straf11 = (SAMPLE / "STRAF11.csv").read_bytes()
    folk1a = (SAMPLE / "FOLK1A.csv").read_bytes()
    statbank.serve("STRAF11", straf11)
    statbank.serve("FOLK1A", folk1a)
    previous = write_previous(inbox)

    written = fetch(["STRAF11", "folk1a"], inbox, 2014, base_url=statbank.url, timeout=5)

    assert written == {"STRAF11": 1144, "FOLK1A": 3744}
    assert previous.read_bytes() == straf11  # replaced, byte for byte (BOM kept)
    assert (inbox / "dst" / "FOLK1A.csv").read_bytes() == folk1a
    assert sorted(p.name for p in (inbox / "dst").iterdir()) == ["FOLK1A.csv", "STRAF11.csv"]

    assert [(r["method"], r["path"]) for r in statbank.requests] == [("POST", "/v1/data")] * 2
    assert all(r["headers"]["Content-Type"].startswith("application/json") for r in statbank.requests)
    assert statbank.requests[0]["body"] == {
        "table": "STRAF11", "format": "CSV", "valuePresentation": "Code", "lang": "da",
        "variables": [{"code": "OMRÅDE", "values": ["000", "101"]}, {"code": "OVERTRÆD", "values": ["*"]},
                      {"code": "Tid", "values": [">=2014K1"]}],
    }
    assert statbank.requests[1]["body"] == {
        "table": "FOLK1A", "format": "CSV", "valuePresentation": "Code", "lang": "da",
        "variables": [{"code": "OMRÅDE", "values": ["101"]}, {"code": "KØN", "values": ["TOT", "1", "2"]},
                      {"code": "ALDER", "values": ["IALT"]}, {"code": "CIVILSTAND", "values": ["TOT"]},
                      {"code": "Tid", "values": [">=2014K1"]}],
    }

    assert load_source(con, dst.STRAF11, ctx)["raekker"] == 1144
    assert load_source(con, dst.FOLK1A, ctx)["raekker"] == 3744


def test_real_api_bytes_are_kept_and_rows_before_the_first_year_dropped(statbank, con, inbox, ctx):
    """The real export (no BOM, LF) is written line for line; only rows before --from are left out."""
    statbank.serve("FOLK1A", ("\n".join(REAL_FOLK1A_LINES) + "\n").encode())

    assert fetch(["FOLK1A"], inbox, 2014, base_url=statbank.url, timeout=5) == {"FOLK1A": 14}

    kept = [REAL_FOLK1A_LINES[0]] + [line for line in REAL_FOLK1A_LINES[1:] if int(line.split(";")[3][:4]) >= 2014]
    assert (inbox / "dst" / "FOLK1A.csv").read_bytes() == ("\n".join(kept) + "\n").encode()
    assert load_source(con, dst.FOLK1A, ctx)["raekker"] == 14
    assert con.execute("select min(tid), max(tid), count(civilstand) from raw.dst_folk1a").fetchone() == (
        "2014K1", "2020K1", 0)


def test_bom_and_crlf_survive_year_filtering(statbank, con, inbox, ctx):
    statbank.serve("STRAF11", "\ufeffOMRÅDE;OVERTRÆD;TID;INDHOLD\r\n101;TOT;2013K4;20000\r\n"
                              "101;TOT;2014K1;21000\r\n101;1320;2014K1;..\r\n".encode())
    assert fetch(["STRAF11"], inbox, 2014, base_url=statbank.url, timeout=5) == {"STRAF11": 2}
    assert (inbox / "dst" / "STRAF11.csv").read_bytes() == (
        "\ufeffOMRÅDE;OVERTRÆD;TID;INDHOLD\r\n101;TOT;2014K1;21000\r\n101;1320;2014K1;..\r\n".encode())
    load_source(con, dst.STRAF11, ctx)
    assert con.execute("select overtraed, indhold from raw.dst_straf11 order by kildelinje").fetchall() == [
        ("TOT", 21000.0), ("1320", None)]


def test_offline_is_one_clear_line_and_the_previous_file_stays(inbox):
    previous = write_previous(inbox)
    port = closed_port()
    with pytest.raises(FetchError) as caught:
        fetch(["STRAF11"], inbox, 2014, base_url=f"http://127.0.0.1:{port}/v1", timeout=5)
    message = str(caught.value)
    assert message.startswith(f"cannot reach Danmarks Statistik at 127.0.0.1:{port} (offline?): ")
    assert "refused" in message.lower() and "\n" not in message
    assert_untouched(inbox, previous)


def test_dns_failure_reads_as_offline(inbox, monkeypatch):
    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    previous = write_previous(inbox)
    with pytest.raises(FetchError, match=r"^cannot reach Danmarks Statistik at api\.statbank\.dk \(offline\?\): "
                                         r"Name or service not known$"):
        fetch(["STRAF11"], inbox, 2014, timeout=5)
    assert_untouched(inbox, previous)


def test_no_answer_in_time_is_a_fetch_error(statbank, inbox):
    statbank.serve("STRAF11", (SAMPLE / "STRAF11.csv").read_bytes())
    statbank.delay = 3
    with pytest.raises(FetchError, match=r"\(offline\?\): no answer within 0\.3 s"):
        fetch(["STRAF11"], inbox, 2014, base_url=statbank.url, timeout=0.3)
    assert not (inbox / "dst").exists()


def test_http_400_shows_the_apis_message(statbank, inbox):
    statbank.serve("STRAF11", json.dumps({"errorTypeCode": "EXTRACT-NOTFOUND",
                                          "message": "Kan ikke finde værdien: 999 (OMRÅDE)"}).encode(),
                   status=400, ctype="application/json")
    previous = write_previous(inbox)
    with pytest.raises(FetchError) as caught:
        fetch(["STRAF11"], inbox, 2014, base_url=statbank.url, timeout=5)
    assert str(caught.value) == (f"Danmarks Statistik at 127.0.0.1:{statbank.server.server_address[1]} "
                                 "answered HTTP 400 for STRAF11: Kan ikke finde værdien: 999 (OMRÅDE) "
                                 "(EXTRACT-NOTFOUND)")
    assert_untouched(inbox, previous)


def test_http_5xx_without_json_shows_the_body_start(statbank, inbox):
    statbank.serve("STRAF11", b"Service Unavailable\r\nplease retry later", status=503, ctype="text/plain")
    with pytest.raises(FetchError, match=r"HTTP 503 for STRAF11: Service Unavailable please retry later$"):
        fetch(["STRAF11"], inbox, 2014, base_url=statbank.url, timeout=5)


def test_one_failing_table_changes_nothing(statbank, inbox):
    """STRAF11 fetched fine, FOLK1A failed: the inbox keeps the old STRAF11, never a mix of vintages."""
    statbank.serve("STRAF11", (SAMPLE / "STRAF11.csv").read_bytes())
    statbank.serve("FOLK1A", b'{"errorTypeCode": "SERVER", "message": "Intern fejl"}', status=500,
                   ctype="application/json")
    previous = write_previous(inbox)
    with pytest.raises(FetchError, match="HTTP 500 for FOLK1A: Intern fejl"):
        fetch(["STRAF11", "FOLK1A"], inbox, 2014, base_url=statbank.url, timeout=5)
    assert_untouched(inbox, previous)


@pytest.mark.parametrize(("body", "words"), [
    (b"", "the body is empty"),
    (b"<!DOCTYPE html><html><body>Proxy login</body></html>", "looks like HTML/JSON"),
    ("OMRÅDE;OVERTRÆD;TID\n101;TOT;2024K1\n".encode(), "ending with INDHOLD"),
    ("OMRÅDE,OVERTRÆD,TID,INDHOLD\n101,TOT,2024K1,5\n".encode(), "';'-separated"),
    ("OMRÅDE;TID;INDHOLD\n101;2024K1;5\n".encode(), "the header lacks OVERTRÆD"),
    ("OMRÅDE;OVERTRÆD;TID;INDHOLD\nKøbenhavn;Straffelov i alt;2024K1;21000\n".encode(),
     "line 2: area 'København' is not a code"),
    ("OMRÅDE;OVERTRÆD;TID;INDHOLD\n101;TOT;2024K1;5\n101;TOT;2024K2\n".encode(), "line 3 has 3 fields, the header 4"),
    ("OMRÅDE;OVERTRÆD;TID;INDHOLD\n101;TOT;1. kvartal 2024;5\n".encode(), "not a time code"),
    ("OMRÅDE;OVERTRÆD;TID;INDHOLD\n101;TOT;2013K4;5\n".encode(), "no rows from 2014 on"),
    ("OMRÅDE;OVERTRÆD;TID;INDHOLD\n101;TOT;2024K1;5\n".encode("latin-1"), "is not UTF-8"),
])
def test_malformed_answers_name_the_table_and_the_problem(statbank, inbox, body, words):
    statbank.serve("STRAF11", body)
    previous = write_previous(inbox)
    with pytest.raises(FetchError) as caught:
        fetch(["STRAF11"], inbox, 2014, base_url=statbank.url, timeout=5)
    message = str(caught.value)
    assert message.startswith("STRAF11: ") and words in message and "\n" not in message
    assert_untouched(inbox, previous)


def test_unknown_table_fails_before_any_request(statbank, inbox):
    with pytest.raises(FetchError, match=r"unknown StatBank table 'BEF5' \(known: FOLK1A, STRAF11\)"):
        fetch(["STRAF11", "BEF5"], inbox, 2014, base_url=statbank.url, timeout=5)
    assert statbank.requests == []


def test_base_url_from_the_environment(monkeypatch):
    assert resolve_base_url() == DEFAULT_BASE_URL
    monkeypatch.setenv(BASE_URL_ENV, "http://proxy.example:8080/statbank/v1/")
    assert resolve_base_url() == "http://proxy.example:8080/statbank/v1"
    assert resolve_base_url("http://127.0.0.1:1/v1") == "http://127.0.0.1:1/v1"  # an explicit argument wins


def test_main_fetch_prints_one_line_per_file(statbank, inbox, monkeypatch, capsys):
    monkeypatch.setenv(BASE_URL_ENV, statbank.url)
    statbank.serve("STRAF11", (SAMPLE / "STRAF11.csv").read_bytes())
    statbank.serve("FOLK1A", (SAMPLE / "FOLK1A.csv").read_bytes())
    assert main_fetch(["STRAF11", "FOLK1A"], inbox, 2014) == 0
    out, err = capsys.readouterr()
    assert out == "dst/STRAF11.csv: 1.144 rows\ndst/FOLK1A.csv: 3.744 rows\n"
    assert err == ""


def test_main_fetch_offline_prints_one_error_line(inbox, monkeypatch, capsys):
    port = closed_port()
    monkeypatch.setenv(BASE_URL_ENV, f"http://127.0.0.1:{port}/v1")
    previous = write_previous(inbox)
    assert main_fetch(["STRAF11"], inbox, 2014) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"tryghed: fetch failed: cannot reach Danmarks Statistik at 127.0.0.1:{port} (offline?)")
    assert err.count("\n") == 1
    assert_untouched(inbox, previous)
