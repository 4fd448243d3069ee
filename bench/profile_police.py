"""Where the police loader's time goes: `load_source` for police/ into a fresh DuckDB file, phase by phase.

Opens the database and the transaction the way orchestration/raw_assets.py does, times every statement the
loader sends to DuckDB (labelled by what it does) and every file hash, and prints a table per file and the
totals. "busiest thread" sums, over the statements, the CPU time of each statement's busiest thread (a rough
guide to the wall time on an idle machine; under load DuckDB's threads share the work unevenly). With --keep
the database is kept (else a temporary one), for comparing two versions of the loader.

    .venv/bin/python bench/profile_police.py --inbox /work/bench_data/10m/full [--keep /tmp/police.duckdb]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assets.foundation.database import connect  # noqa: E402
from assets.ingest import loading  # noqa: E402
from assets.ingest.contract import LoadContext  # noqa: E402
from assets.ingest.sources.police import SOURCE  # noqa: E402

# the first words of a statement → the phase it belongs to
PHASES = (
    ("create or replace temp table _typed as select *, (row_number()", "line numbers (window)"),
    ("create or replace temp table _typed", "read_csv → _typed"),
    ("select count(*), count(*) filter", "count typed rows"),
    ("select count(*) from read_csv", "count text rows"),
    ("select min(rowid)", "line by position"),
    ("select min(", "row rules"),
    ("select coalesce(bool_and(", "row rules"),
    ("select count(*), count(distinct hash(", "unique journalnr"),
    ("with gentagne", "unique journalnr"),
    ("insert into raw.", "insert into raw"),
    ("delete from raw.", "delete stale"),
    ("commit", "commit"),
)


HASH_THREADS: set[int] = set()  # native ids of the background hashing threads (not DuckDB's)
_TICK = os.sysconf("SC_CLK_TCK")


def _thread_cpu() -> dict[int, float]:
    """CPU seconds of every thread of this process (DuckDB's workers included), from /proc."""
    found = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            fields = Path(f"/proc/self/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(tid)] = (int(fields[11]) + int(fields[12])) / _TICK
    return found


class Timed:
    """The connection, with every execute timed under its phase (DuckDB materialises a result in execute)."""

    def __init__(self, con, times, per_file):
        self._con, self._times, self._per_file = con, times, per_file
        self._file = "(none)"

    def __getattr__(self, name):
        return getattr(self._con, name)

    def execute(self, sql, *args):
        start, cpu, threads = time.perf_counter(), time.process_time(), _thread_cpu()
        result = self._con.execute(sql, *args)
        text = " ".join(sql.split())
        phase = next((label for prefix, label in PHASES if text.startswith(prefix)), "other")
        self._times[phase] += time.perf_counter() - start
        self._times[f"{phase} (cpu)"] += time.process_time() - cpu
        # the busiest of DuckDB's threads bounds the statement's wall time on an idle machine
        after = _thread_cpu()
        self._times[f"{phase} (busiest) (cpu)"] += max(
            (after[t] - threads.get(t, 0.0) for t in after if t not in HASH_THREADS), default=0.0)
        # a statement belongs to the file named in its parameters, else to the last file named
        named = [a for a in (args[0] if args else ()) if isinstance(a, str) and ".csv" in a]
        if named:
            self._file = ", ".join(Path(a).name for a in named)
        self._per_file[self._file][phase] += time.perf_counter() - start
        return result


def _time_hashing(times, per_file) -> None:
    """Time the files' hashing: in the loop (sha256_of) or, with assets/ingest/digests.py, in background
    threads (their own CPU time, and how long the loader waited for a digest)."""
    try:
        from assets.ingest import digests
    except ImportError:
        digests = None
    if digests is None:
        real_sha = loading.sha256_of

        def timed_sha(path):
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return real_sha(path)
            finally:
                times["sha256"] += time.perf_counter() - start
                per_file[Path(path).name]["sha256"] += time.perf_counter() - start
                times["sha256 (cpu)"] += time.process_time() - cpu

        loading.sha256_of = timed_sha
        return
    real_digest, real_of = digests.digest_of, digests.Digests.of

    def timed_digest(path, *args):
        HASH_THREADS.add(threading.get_native_id())
        start, cpu = time.perf_counter(), time.thread_time()
        try:
            return real_digest(path, *args)
        finally:  # background: not part of the loader's wall time, so shown apart
            times["sha256 (background thread) (cpu)"] += time.thread_time() - cpu
            times["(background wall, not summed)"] += time.perf_counter() - start

    def timed_of(self, path):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return real_of(self, path)
        finally:
            times["waiting for sha256"] += time.perf_counter() - start
            times["waiting for sha256 (cpu)"] += time.process_time() - cpu
            per_file[Path(path).name]["waiting for sha256"] += time.perf_counter() - start

    digests.digest_of, digests.Digests.of = timed_digest, timed_of


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inbox", type=Path, required=True)
    parser.add_argument("--keep", type=Path, help="load into this new database file and keep it")
    args = parser.parse_args()
    times: dict[str, float] = defaultdict(float)
    per_file: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    _time_hashing(times, per_file)
    with tempfile.TemporaryDirectory() as tmp, connect(args.keep or Path(tmp) / "w.duckdb") as con:
        ctx = LoadContext(args.inbox, datetime(2026, 1, 1))
        timed = Timed(con, times, per_file)
        start = time.perf_counter()
        timed.execute("begin transaction")
        stats = loading.load_source(timed, SOURCE, ctx)
        timed.execute("commit")
        total = time.perf_counter() - start
    print(f"{len(stats['filer'])} files, {stats['raekker']:,} rows, {total:.2f} s in load_source "
          f"(load average {os.getloadavg()[0]:.2f})")
    background = times.pop("(background wall, not summed)", None)
    wall = {phase: seconds for phase, seconds in times.items() if not phase.endswith(" (cpu)")}
    wall.pop("sha256 (background thread)", None)
    print(f"  {'phase':<28} {'wall':>8} {'cpu':>8} {'busiest thread':>15}")
    for phase, seconds in sorted(wall.items(), key=lambda kv: -kv[1]):
        busiest = times.get(f"{phase} (busiest) (cpu)")
        print(f"  {phase:<28} {seconds:6.2f} s {times.get(f'{phase} (cpu)', 0):6.2f} s"
              + (f" {busiest:13.2f} s" if busiest is not None else ""))
    print(f"  {'(untimed python)':<28} {total - sum(wall.values()):6.2f} s")
    print(f"  {'all statements':<28} {sum(wall.values()):6.2f} s "
          f"{sum(v for k, v in times.items() if k.endswith(' (cpu)') and '(busiest)' not in k):6.2f} s "
          f"{sum(v for k, v in times.items() if '(busiest)' in k):13.2f} s  (cpu includes background hashing)")
    if background is not None:
        print(f"  (hashing in background threads: {times['sha256 (background thread) (cpu)']:.2f} s CPU, "
              f"{background:.2f} s of wall time in all, overlapping the statements)")
    phases = [p for p in dict.fromkeys(label for _, label in PHASES) if any(p in f for f in per_file.values())]
    phases += sorted({p for f in per_file.values() for p in f} - set(phases))
    print("\nwall seconds per file (statements without a file name count for the last file named)")
    print(f"  {'file':<38}" + "".join(f"{p[:11]:>12}" for p in phases))
    for name, by_phase in per_file.items():
        print(f"  {name[:38]:<38}" + "".join(f"{by_phase.get(p, 0):12.2f}" for p in phases))


if __name__ == "__main__":
    main()
