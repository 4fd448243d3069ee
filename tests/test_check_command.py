"""`tryghed check --inbox DIR`: every contract problem of every file, grouped by file, exit 1; nothing is
written into a warehouse. The broken inbox is the bundled sample with faults put in at known lines, so the
expected list is known without the loaders."""

from __future__ import annotations

import contextlib
import gzip
import io
import re
import shutil
from pathlib import Path

import pytest

from assets.commands import check as check_module
from assets.commands.check import LINES_PER_RULE, check_inbox
from assets.ingest.sources import inbox_state
from orchestration.cli import main

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
SURVEY = "survey_kk/tryghedsundersoegelse_2024.csv"
POLICE = "police/anmeldelser_2024.csv.gz"
PLAN = "aktiviteter/tryghedsplan_2024.csv"
LONLAT_LINE = 41  # a report with coordinates, one of them then given as latitude


def _lines(path: Path) -> list[str]:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return data.decode("utf-8").split("\n")


def _write(path: Path, lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8")
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)


def _set(lines: list[str], line: int, column: str, value: str) -> None:
    header = lines[0].split(";")
    fields = lines[line - 1].split(";")
    fields[header.index(column)] = value
    lines[line - 1] = ";".join(fields)


@pytest.fixture(scope="module")
def broken_inbox(tmp_path_factory) -> Path:
    inbox = tmp_path_factory.mktemp("check") / "inbox"
    shutil.copytree(SAMPLE, inbox)
    # survey: two answer codes out of range, one weight that is not a number
    survey = _lines(inbox / SURVEY)
    _set(survey, 5, "tryg_nabolag", "7")
    _set(survey, 9, "tryg_nabolag", "8")
    _set(survey, 12, "vaegt", "abc")
    _write(inbox / SURVEY, survey)
    # police: 25 offence codes that are not 4 digits (more than the listed 20), one lon/lat coordinate
    police = _lines(inbox / POLICE)
    x = police[0].split(";").index("x_utm32")
    assert police[LONLAT_LINE - 1].split(";")[x], "the lon/lat line must have coordinates"
    for line in range(3, 28):
        _set(police, line, "gerningskode", "12")
    _set(police, LONLAT_LINE, "y_utm32", "55.67")
    _write(inbox / POLICE, police)
    # the safety plan: a required column renamed, so the file cannot be read at all
    plan = _lines(inbox / PLAN)
    plan[0] = plan[0].replace("aktivitet_id", "aktivitet")
    _write(inbox / PLAN, plan)
    return inbox


@pytest.fixture(scope="module")
def checked(broken_inbox):
    """`tryghed check` run once on the broken inbox: its exit code, its stdout, and what check_inbox returned
    to it (recorded on the way), so the command and the function are judged on one check of the inbox."""
    returned = []

    def recording(inbox, *args, **kwargs):
        returned.append(check_inbox(inbox, *args, **kwargs))
        return returned[-1]

    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out):
        patch.setattr(check_module, "check_inbox", recording)
        code = main(["check", "--inbox", str(broken_inbox)])
    (result,) = returned
    return code, out.getvalue(), result


def test_every_problem_of_every_file_with_line_and_column(broken_inbox, checked):
    _code, _out, (problems, files) = checked
    assert files == len(inbox_state(broken_inbox))  # every file the loaders read
    found = {(p.file, p.line, p.column) for p in problems}
    assert {(SURVEY, 5, "tryg_nabolag"), (SURVEY, 9, "tryg_nabolag"), (SURVEY, 12, "vaegt")} <= found
    assert {(POLICE, line, "gerningskode") for line in range(3, 3 + LINES_PER_RULE)} <= found
    assert (POLICE, 3 + LINES_PER_RULE, "gerningskode") not in found  # capped at 20 lines per rule ...
    [code_count] = {p.count for p in problems if p.file == POLICE and p.column == "gerningskode"}
    assert code_count == 25  # ... and counted
    assert (POLICE, LONLAT_LINE, "y_utm32") in found
    assert [(p.line, p.column) for p in problems if p.file == PLAN] == [(1, "aktivitet_id")]
    assert {p.file for p in problems} == {SURVEY, POLICE, PLAN}
    weight = next(p for p in problems if p.file == SURVEY and p.column == "vaegt")
    assert "'abc'" in weight.rule


def test_command_groups_by_file_and_exits_1(checked):
    code, out, _returned = checked
    assert code == 1
    print(out)
    # grouped: each file's heading once, its lines below it
    headings = [line for line in out.splitlines() if re.match(r"^\S+/\S+ \(\d+ problem", line)]
    assert [h.split(" ")[0] for h in headings] == sorted([PLAN, POLICE, SURVEY])
    assert "  linje 5, kolonne 'tryg_nabolag':" in out and "  linje 12, kolonne 'vaegt': value 'abc'" in out
    assert "… og 5 linjer mere med samme fejl (kolonne 'gerningskode'" in out
    assert f"{SURVEY} (3 problemer)" in out and f"{POLICE} (26 problemer)" in out
    assert out.splitlines()[0].startswith("tryghed check: 30 problemer i 3 af ")


def test_clean_inbox_exits_0_and_writes_no_warehouse(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--inbox", str(SAMPLE)]) == 0
    assert "ingen problemer" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []  # nothing written: the database was in memory
