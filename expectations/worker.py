"""Great Expectations in a worker process of its own, started at the beginning of a run.

Importing GX costs ~15 s on these machines, as much as the rest of a run. `tryghed run` starts this
worker first thing, so the import happens on the second core while Dagster loads and the inbox is read;
the asset checks then send their validation requests here and get plain results back. Outside the CLI
(e.g. `dagster dev`) the worker is started on the first request. One worker serves every run of the
process (tests run many), and it exits when its parent closes the pipe.

Protocol: one JSON request per line on stdin, one JSON answer per line on the worker's original stdout
(GX's own prints are sent to stderr so they cannot corrupt it). The worker's stderr (GX's prints and
warnings, and any traceback) goes to `<warehouse>/logs/gx_worker.log` when the run names its log folder;
a failed validation's traceback also travels back in the answer, so the run saves it with its own.

Data Docs: a request may let the worker answer before it builds the stage's site (`docs_later`: both
stages; no step of the run reads a page; ~0.3-0.5 s of each step at any size). It does so only when every
table passed, so a failure's pages are there when the run reports it; the next request is read after the
site is built, and `tryghed run` waits for them (`finish_docs`) before it reports the run.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import asdict
from pathlib import Path

from expectations.datadocs import write_docs_index
from expectations.results import Outcome, TableResult


class ValidationError(Exception):
    """The worker failed (not a failed expectation: those come back as results)."""


class ValidationWorker:
    _current: ValidationWorker | None = None
    _lock = threading.Lock()

    def __init__(self, log_dir: Path | None = None) -> None:
        self.last_timings: dict[str, float] = {}
        self.docs_pending = False  # a request may have left Data Docs to build after its answer
        self.log_path = Path(log_dir) / "gx_worker.log" if log_dir else None
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
        stderr = self.log_path.open("a", encoding="utf-8") if self.log_path else subprocess.DEVNULL
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "expectations.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                encoding="utf-8",
                env={**os.environ, "PYTHONWARNINGS": "ignore"},
            )
        finally:
            if self.log_path is not None:
                stderr.close()  # the child holds its own copy

    @classmethod
    def get(cls, log_dir: Path | None = None) -> ValidationWorker:
        """The running worker, started if there is none (or the last one died); its stderr goes to
        `log_dir/gx_worker.log` when given."""
        with cls._lock:
            if cls._current is None or cls._current.process.poll() is not None:
                cls._current = ValidationWorker(log_dir)
                atexit.register(cls._current.stop)
            return cls._current

    def validate(self, database: Path, tables: list[str], docs_dir: Path | None,
                 thresholds: dict | None = None, record: bool = True,
                 docs_index: tuple[Path, dict[str, str]] | None = None,
                 docs_later: bool = False) -> dict[str, TableResult]:
        """The tables' results. With `record`, what expectations/record.py says passed is not validated
        again; `last_timings` then says where the time went (in the worker, and the whole round trip).
        `docs_index`: (root, sites) of the page linking the stages' sites (datadocs.write_docs_index),
        written after the site is built. `docs_later`: when every table passed, the worker answers first
        and builds the Data Docs after (the next request waits for them); see serve."""
        request = {"database": str(database), "tables": tables, "docs_dir": str(docs_dir) if docs_dir else None,
                   "thresholds": thresholds or {}, "record": record, "docs_later": docs_later,
                   "docs_index": [str(docs_index[0]), docs_index[1]] if docs_index else None}
        with self._lock:
            sent = time.perf_counter()
            try:
                self.process.stdin.write(json.dumps(request) + "\n")
                self.process.stdin.flush()
                line = self.process.stdout.readline()
            except (BrokenPipeError, OSError) as exc:
                raise ValidationError(f"the Great Expectations worker stopped: {exc}") from None
        if not line:
            raise ValidationError("the Great Expectations worker stopped without an answer")
        self.docs_pending = self.docs_pending or (docs_later and docs_dir is not None)
        answer = json.loads(line)
        if not answer["ok"]:
            trace = answer.get("traceback") or ""
            where = f" (the worker's log: {self.log_path})" if self.log_path else ""
            raise ValidationError(f"{answer['error']}{where}\n\nThe worker's traceback:\n{trace}")
        self.last_timings = {**answer.get("timings", {}), "round_trip": time.perf_counter() - sent}
        return {
            table: TableResult(**{**r, "outcomes": [Outcome(**o) for o in r["outcomes"]]})
            for table, r in answer["results"].items()
        }

    @classmethod
    def finish_docs(cls) -> None:
        """Wait until the running worker (if any) has built every Data Docs site it answered before
        building (a request is read only after them): the run's pages are all there when this returns."""
        worker = cls._current
        if worker is not None and worker.docs_pending:
            worker.wait_idle()

    def wait_idle(self) -> None:
        self.docs_pending = False
        if self.process.poll() is not None:
            return
        with self._lock:
            try:
                self.process.stdin.write(json.dumps({"idle": True}) + "\n")
                self.process.stdin.flush()
                self.process.stdout.readline()
            except (BrokenPipeError, OSError):
                pass  # a worker that died has nothing left to build

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()


def prewarm(log_dir: Path | None = None) -> None:
    """Start the worker now, so GX is imported by the time the first check needs it."""
    ValidationWorker.get(log_dir)


def _docs(build_docs, index: list | None):
    """Building the Data Docs and then the page linking the stages' sites, as one call."""
    def build() -> None:
        build_docs()
        if index:
            write_docs_index(Path(index[0]), index[1])
    return build


def serve() -> None:
    begun = time.perf_counter()
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # anything GX prints goes to stderr, never into the protocol
    sys.stdout = sys.stderr
    import great_expectations  # noqa: F401  (the expensive part, before the first request)

    from expectations import runner

    ready = time.perf_counter() - begun
    print(f"gx worker: Great Expectations imported in {ready:.1f} s", file=sys.stderr, flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("idle"):  # read only once the previous request's Data Docs are built
            protocol.write(json.dumps({"ok": True, "results": {}}) + "\n")
            protocol.flush()
            continue
        received = time.perf_counter()
        later = None
        try:
            results, build_docs = runner.validate(
                Path(request["database"]), request["tables"],
                Path(request["docs_dir"]) if request["docs_dir"] else None,
                thresholds=request.get("thresholds"), use_record=request.get("record", True),
            )
            docs = _docs(build_docs, request.get("docs_index"))
            if request.get("docs_later") and all(r.passed for r in results.values()):
                later = docs
            else:
                docs()  # a failure's Data Docs are there when the run reports it
            timings = {"gx_import": ready, **runner.LAST_TIMINGS, "worker": time.perf_counter() - received}
            print("gx worker: " + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()) + "; "
                  + "; ".join(f"{t} {r.mode} {r.validated_rows}/{r.rows} rows "
                              + " ".join(f"{k} {v:.2f}" for k, v in r.seconds.items())
                              for t, r in results.items()), file=sys.stderr, flush=True)
            answer = {"ok": True, "results": {t: asdict(r) for t, r in results.items()}, "timings": timings}
        except Exception as exc:  # reported to the run as one line; the trace in the answer and on stderr
            traceback.print_exc()
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
        protocol.write(json.dumps(answer, default=str) + "\n")
        protocol.flush()
        if later is not None:  # the run goes on while the Data Docs are built; the next request waits
            try:
                later()
                if "docs" in runner.LAST_TIMINGS:
                    print(f"gx worker: Data Docs after the answer {runner.LAST_TIMINGS['docs']:.2f} s",
                          file=sys.stderr, flush=True)
            except Exception:  # the validation is answered; a failed site is the log's, not the run's
                traceback.print_exc()
    # The parent closed the pipe: every answer is written and flushed, nothing is left to save. Leave
    # without the interpreter's shutdown, which takes ~3 s for GX's modules and threads here (measured),
    # time the run's process would otherwise spend waiting for this one.
    protocol.close()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    serve()
