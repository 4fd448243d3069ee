"""The police loader's shortcuts at national scale give exactly what the long way gives.

The file's line breaks, counted while it is hashed, stand in for a second parse of the file; a cheap first
pass over the key stands in for the full unique check. Each shortcut is only taken when it cannot change
the outcome; these tests hold the edges (line endings, blank lines, chunk borders, bad rows).
"""

from __future__ import annotations

import pytest

from assets.foundation.files import sha256_of
from assets.ingest import digests
from assets.ingest.contract import ContractError
from assets.ingest.digests import digest_of
from assets.ingest.loading import load_source
from assets.ingest.sources import police
from tests.conftest import write

POLICE_HEADER = ("journalnr;anmeldt_dato;gerning_fra;gerning_til;gerningskode;gerningskode_tekst;kommunekode;"
                 "x_utm32;y_utm32;leveret_dato")
ROW = "0100-{i};2024-03-01;2024-03-01 06:00:00;;1220;Simpel vold;101;726000;6173000;2025-01-10"


@pytest.mark.parametrize(("data", "records"), [
    (b"", 0),
    (b"a\n", 1),
    (b"a\nb", 2),
    (b"a\r\nb\r\n", 2),
    (b"a\rb\r", 2),
    (b"a\n\nb\n", 3),
    (b"a\r\n\r\nb", 3),
    (b'a\n"b\nc"\n', 3),  # a quoted line break is counted: the bound is only ever too high
])
def test_max_records_counts_every_line_break(tmp_path, data, records):
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    assert digest_of(path).max_records == records
    assert digest_of(path).sha256 == sha256_of(path)


def test_a_crlf_split_between_two_chunks_is_one_break(tmp_path, monkeypatch):
    monkeypatch.setattr(digests, "_CHUNK", 4)
    path = tmp_path / "x.csv"
    path.write_bytes(b"abc\r\ndef\r\ngh\ri\n")  # chunks: abc\r | \ndef | \r\ngh | \ri\n
    assert digest_of(path).max_records == 4
    assert digest_of(path).sha256 == sha256_of(path)


def test_a_compressed_file_has_no_bound(tmp_path):
    path = write(tmp_path, "x.csv.gz", "a\nb\n")
    assert digest_of(path).max_records is None


def _police_rows(con):
    return con.execute("select * exclude (indlaest) from raw.police order by kildefil, kildelinje").fetchall()


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize("tail", ["", "\n", "\n\n"])
def test_line_endings_and_blank_lines_load_as_without_the_shortcut(con, inbox, ctx, monkeypatch, ending, tail):
    """With the bound (reached or not: a blank line makes the file hold fewer rows than its lines) the table
    is the one the loader builds when it counts the rows by parsing the file again."""
    body = ending.join([POLICE_HEADER] + [ROW.format(i=i) for i in range(5)]) + ending + tail.replace("\n", ending)
    write(inbox, "police/anmeldelser_2024.csv", body)
    load_source(con, police.SOURCE, ctx)
    fast = _police_rows(con)
    real = digests.digest_of
    monkeypatch.setattr(digests, "digest_of", lambda path, count_lines=True: real(path, count_lines=False))
    con.execute("drop table raw.police")
    load_source(con, police.SOURCE, ctx)
    assert _police_rows(con) == fast
    assert [row[-1] for row in fast] == [2, 3, 4, 5, 6]


def test_a_row_the_typed_read_skips_is_still_named(con, inbox, ctx):
    """A wrong field count makes the typed read skip the row: the bound is not reached, the text read names it."""
    rows = [ROW.format(i=i) for i in range(4)]
    rows[2] += ";extra"
    write(inbox, "police/anmeldelser_2024.csv", "\n".join([POLICE_HEADER, *rows]) + "\n")
    with pytest.raises(ContractError, match=r"police/anmeldelser_2024.csv, line 4: wrong number of fields"):
        load_source(con, police.SOURCE, ctx)


def test_a_file_whose_rows_reach_the_bound_is_parsed_once(con, inbox, ctx, monkeypatch):
    from assets.ingest import casting

    read_again = []
    real = casting.read_source
    monkeypatch.setattr(casting, "read_source", lambda con, rows, sql: read_again.append(sql) or real(con, rows, sql))
    write(inbox, "police/anmeldelser_2024.csv", "\n".join([POLICE_HEADER] + [ROW.format(i=i) for i in range(3)]))
    assert load_source(con, police.SOURCE, ctx)["raekker"] == 3
    assert read_again == []


def test_a_file_loaded_before_is_only_hashed(tmp_path):
    from assets.ingest.digests import Digests

    old, new = write(tmp_path, "a.csv", "h\n1\n"), write(tmp_path, "b.csv", "h\n1\n")
    with Digests([old, new], loaded=frozenset({old})) as found:
        assert (found.of(old).max_records, found.of(new).max_records) == (None, 2)
        assert found.of(old).sha256 == found.of(new).sha256 == sha256_of(old)


@pytest.mark.parametrize(("change", "column", "words"), [
    ((";1220;", ";12x0;"), "gerningskode", "'12x0' is not a valid whole number"),
    ((";726000;", ";12.6;"), "x_utm32", "coordinate outside Copenhagen"),
    (("2024-03-01;2024-03-01 06:00:00", "2025-03-01;2024-03-01 06:00:00"), "anmeldt_dato", "after leveret_dato"),
])
def test_a_rule_broken_in_the_second_file_names_that_file_line_and_column(con, inbox, ctx, change, column, words):
    """The first file keeps the contract, the second (hashed in the background while the first is read)
    breaks it late: the first pass over the rows says so, and the error names the second file's line."""
    rows = [ROW.format(i=i) for i in range(2000)]
    write(inbox, "police/anmeldelser_2023.csv", "\n".join([POLICE_HEADER, *rows]) + "\n")
    rows[1500] = rows[1500].replace(*change)
    write(inbox, "police/anmeldelser_2024.csv", "\n".join([POLICE_HEADER, *rows]) + "\n")
    con.execute("begin transaction")
    with pytest.raises(ContractError) as err:
        load_source(con, police.SOURCE, ctx)
    con.execute("rollback")
    assert (err.value.file, err.value.line, err.value.column) == ("police/anmeldelser_2024.csv", 1502, column)
    assert words in str(err.value)


def test_a_journalnr_repeated_with_other_content_in_the_second_file_is_named(con, inbox, ctx):
    rows = [ROW.format(i=i) for i in range(2000)]
    write(inbox, "police/anmeldelser_2023.csv", "\n".join([POLICE_HEADER, *rows]) + "\n")
    rows += [ROW.format(i=7), ROW.format(i=9).replace("Simpel vold", "Røveri")]  # identical, then changed
    write(inbox, "police/anmeldelser_2024.csv", "\n".join([POLICE_HEADER, *rows]) + "\n")
    with pytest.raises(ContractError) as err:
        load_source(con, police.SOURCE, ctx)
    assert (err.value.file, err.value.line, err.value.column) == ("police/anmeldelser_2024.csv", 2003, "journalnr")
    assert "first seen on line 11" in str(err.value)
