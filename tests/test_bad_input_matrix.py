"""Malformed inputs, one per case, through the real pipeline (`tryghed run`).

One good small inbox is generated and published once per module; then each case copies it, breaks one
file and runs again on the same warehouse. Every case must: exit 1; name the file, the line (or sheet row /
feature) and, where the fault is in one column, the column on stderr; leave the published marts
byte-identical; and leave the broken inbox file as it was. One case is caught only by the GX suites
(orchestration/quality_checks.py), the second line of defence behind the loaders.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from orchestration.cli import main


# --- editing inbox files ---------------------------------------------------------------------------------
def read_text(path: Path) -> str:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return data.decode("utf-8-sig")


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    data = text.encode(encoding)
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)


def set_value(path: Path, line: int, column: str, value: str, sep: str = ";") -> None:
    """Put `value` into `column` on 1-based `line` of a delimited file."""
    lines = read_text(path).split("\n")
    header = [h.strip().lower() for h in lines[0].split(sep)]
    fields = lines[line - 1].split(sep)
    fields[header.index(column.lower())] = value
    lines[line - 1] = sep.join(fields)
    write_text(path, "\n".join(lines))


def get_value(path: Path, line: int, column: str, sep: str = ";") -> str:
    lines = read_text(path).split("\n")
    header = [h.strip().lower() for h in lines[0].split(sep)]
    return lines[line - 1].split(sep)[header.index(column.lower())]


def line_count(path: Path) -> int:
    return len(read_text(path).rstrip("\n").split("\n"))


# --- the cases -------------------------------------------------------------------------------------------
SURVEY = "survey_kk/tryghedsundersoegelse_2024.csv"
POLICE = "police/anmeldelser_2024.csv.gz"


@dataclass(frozen=True)
class Case:
    name: str
    file: str  # relative to the inbox
    where: str  # what stderr must say about the place: "line 5", "line 1", ...
    column: str | None  # the column stderr must name (None: the fault is not in one column)
    breaks: Callable[[Path], None]


def _wrong_separator(p: Path) -> None:
    write_text(p, read_text(p).replace(";", ","))


def _latin1(p: Path) -> None:
    text = read_text(p)
    assert "æ" in text.split("\n", 2)[1]  # line 2 names a housing area with æ
    write_text(p, text, encoding="latin-1")


def _drop_column(p: Path, column: str) -> None:
    lines = read_text(p).rstrip("\n").split("\n")
    index = [h.lower() for h in lines[0].split(";")].index(column)
    write_text(
        p,
        "\n".join(";".join(f for i, f in enumerate(line.split(";")) if i != index) for line in lines) + "\n",
    )


def _duplicate_respondent(p: Path) -> None:
    set_value(p, 9, "respondent_id", get_value(p, 2, "respondent_id"))


def _journalnr_twice(p: Path) -> None:
    lines = read_text(p).rstrip("\n").split("\n")
    fields = lines[1].split(";")
    fields[4] = "1390" if fields[4] != "1390" else "1260"  # same journalnr and delivery, other offence code
    write_text(p, "\n".join([*lines, ";".join(fields)]) + "\n")


def _truncate_last_line(p: Path) -> None:
    text = read_text(p).rstrip("\n")
    last = text.rsplit("\n", 1)[1]
    write_text(p, text[: len(text) - len(last) + last.index(",") + 2])  # "2025,1" — two of five fields


def _excel_without_header(p: Path) -> None:
    book = openpyxl.load_workbook(p)
    sheet = book.worksheets[0]
    for row in sheet.iter_rows():
        if any(str(c.value).strip() == "Afdelingsnr" for c in row if c.value is not None):
            sheet.delete_rows(row[0].row)
            break
    else:
        raise AssertionError("no header row found")
    book.save(p)


def _excel_percentage(p: Path) -> None:
    book = openpyxl.load_workbook(p)
    sheet = book.worksheets[0]
    for row in sheet.iter_rows():
        for cell in row:
            if str(cell.value).strip() == "Andel 30-59 med kun grundskole (%)":
                sheet.cell(row=cell.row + 2, column=cell.column, value=130)
                book.save(p)
                return
    raise AssertionError("column not found")


def _self_intersecting(p: Path) -> None:
    doc = json.loads(read_text(p))
    feature = next(f for f in doc["features"] if f["properties"]["omraade_kode"] == "BO_TELEMARK")
    x, y = 726_000.0, 6_171_000.0
    feature["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + 200, y + 200], [x + 200, y], [x, y + 200], [x, y]]],
    }  # a bow tie
    write_text(p, json.dumps(doc))


def _dst_labels(p: Path) -> None:
    lines = read_text(p).rstrip("\n").split("\n")
    fields = lines[1].split(";")
    fields[0] = "Hele landet"
    lines[1] = ";".join(fields)
    write_text(p, "\n".join(lines) + "\n")


def _grid_cell(p: Path) -> None:
    set_value(p, 3, "celle_id", get_value(p, 3, "celle_id").removeprefix("100m_"))


CASES: list[Case] = [
    Case("wrong_separator", SURVEY, "line 1", None, _wrong_separator),
    Case("latin1_file", "survey_jm/jm_tryghed_2021.csv", "line 2", None, _latin1),
    Case("missing_required_column", SURVEY, "line 1", "vaegt", lambda p: _drop_column(p, "vaegt")),
    Case("non_numeric_weight", SURVEY, "line 5", "vaegt", lambda p: set_value(p, 5, "vaegt", "abc")),
    Case("answer_code_7", SURVEY, "line 7", "tryg_nabolag", lambda p: set_value(p, 7, "tryg_nabolag", "7")),
    Case("bydel_11", SURVEY, "line 6", "bydel_nr", lambda p: set_value(p, 6, "bydel_nr", "11")),
    Case("duplicate_respondent", SURVEY, "line 9", "respondent_id", _duplicate_respondent),
    Case(
        "coordinates_lat_lon",
        SURVEY,
        "line 4",
        "x_utm32",
        lambda p: (set_value(p, 4, "x_utm32", "12,6"), set_value(p, 4, "y_utm32", "55,66")),
    ),
    Case("journalnr_twice_in_delivery", POLICE, "line {last}", "journalnr", _journalnr_twice),
    Case(
        "reported_after_delivery",
        POLICE,
        "line 3",
        "anmeldt_dato",
        lambda p: set_value(p, 3, "anmeldt_dato", "2099-12-31"),
    ),
    Case("empty_file", "aktiviteter/tryghedsplan_2025.csv", "line 1", None, lambda p: write_text(p, "")),
    Case(
        "unknown_indsatsomraade",
        "aktiviteter/tryghedsplan_2024.csv",
        "line 3",
        "indsatsomraade",
        lambda p: set_value(p, 3, "indsatsomraade", "5"),
    ),
    Case(
        "truncated_last_line",
        "kk_befolkning/befkbhalderstatkode.csv",
        "line {last}",
        None,
        _truncate_last_line,
    ),
    Case("excel_header_row_missing", "lbf/beboerdata_2024.xlsx", "line 1", None, _excel_without_header),
    Case(
        "excel_percentage_over_100",
        "lbf/beboerdata_2024.xlsx",
        "line {xlsx_row}",
        "Andel 30-59 med kun grundskole (%)",
        _excel_percentage,
    ),
    Case(
        "self_intersecting_polygon", "geo/omraader.geojson", "line {feature}", "geometry", _self_intersecting
    ),
    Case("dst_labels_not_codes", "dst/STRAF11.csv", "line 2", "OMRÅDE", _dst_labels),
    Case(
        "grid_cell_id", "befolkning_kvadratnet/befolkning_100m_2024.csv.gz", "line 3", "celle_id", _grid_cell
    ),
    Case(
        "published_share_over_100",
        "survey_kk_published/tryghed_publiceret.csv",
        "line 2",
        "andel_tryg_pct",
        lambda p: set_value(p, 2, "andel_tryg_pct", "120"),
    ),
    # not a loader rule: only the GX suite (raw.survey_kk: koen in M, K) catches it
    Case("gx_only_unknown_sex", SURVEY, "line 6", "koen", lambda p: set_value(p, 6, "koen", "X")),
]


# --- the pipeline ------------------------------------------------------------------------------------------
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _published(warehouse: Path) -> dict[str, str]:
    marts = warehouse / "marts"
    return {p.relative_to(marts).as_posix(): _digest(p) for p in sorted(marts.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def published(tmp_path_factory, pipeline):
    """A copy of the session's published run (inbox and warehouse), so the matrix pays for no run of its own."""
    source_inbox, source_warehouse, _marts, _areas = pipeline
    root = tmp_path_factory.mktemp("matrix")
    inbox, warehouse = root / "good_inbox", root / "warehouse"
    shutil.copytree(source_inbox, inbox)
    shutil.copytree(source_warehouse, warehouse, symlinks=True)
    marts = _published(warehouse)
    assert len([m for m in marts if m.endswith(".parquet")]) == 11  # nine marts + baseline, dim_partnerskab (issue 13)
    assert (warehouse / "docs" / "quality" / "index.html").is_file()
    return root, inbox, warehouse, marts


def _place(case: Case, path: Path) -> str:
    if "{last}" in case.where:
        return case.where.format(last=line_count(path))
    if "{feature}" in case.where:
        doc = json.loads(read_text(path))
        codes = [f["properties"]["omraade_kode"] for f in doc["features"]]
        return case.where.format(feature=codes.index("BO_TELEMARK") + 1)
    if "{xlsx_row}" in case.where:
        sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if 130 in row:
                return case.where.format(xlsx_row=number)
        raise AssertionError("changed cell not found")
    return case.where


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_fails_the_run_and_publishes_nothing(case: Case, published, capsys):
    root, good_inbox, warehouse, marts_before = published
    inbox = root / f"inbox_{case.name}"
    shutil.rmtree(inbox, ignore_errors=True)
    shutil.copytree(good_inbox, inbox)
    broken = inbox / case.file
    case.breaks(broken)
    where = _place(case, broken)
    digest = _digest(broken)
    capsys.readouterr()

    code = main(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)])

    err = capsys.readouterr().err
    message = next((line for line in err.splitlines() if "kørslen fejlede" in line), err)
    print(f"{case.name}: {message}")
    assert code == 1, err
    assert case.file in message, message
    assert where in message, message
    if case.column is not None:
        assert f"column '{case.column}'" in message, message
        # file, place and column in one phrase (what test_end_to_end's bad-input test asserted, merged here)
        assert f"{case.file}, {where}, column '{case.column}'" in message, message
    assert _published(warehouse) == marts_before
    assert _digest(broken) == digest
