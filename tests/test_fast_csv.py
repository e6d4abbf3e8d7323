"""The CSV reader's line splitter gives exactly the records, and the errors, that ``csv.reader`` gives."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from competency._fast_csv import csv_rows

needs_311 = pytest.mark.skipif(sys.version_info < (3, 11), reason="the splitter is csv.reader before 3.11")


class Semicolons(csv.excel):
    delimiter = ";"


class NoDoubling(csv.excel):
    """As the sniffer describes a file whose first lines hold no doubled quote."""

    doublequote = False


class SingleQuotes(csv.excel):
    quotechar = "'"


class SkipSpace(csv.excel):
    skipinitialspace = True


PLAIN = [csv.excel, csv.excel_tab, Semicolons, NoDoubling]

# Texts built from the characters that matter to a CSV parser, and a few that do not.
pieces = st.sampled_from(
    ['"', '""', ",", ";", "\t", "\n", "\r", "\r\n", " ", "a", "bc", "é", "\0", "'", "\x0c", "\u2028"]
)
texts = st.lists(pieces, max_size=40).map("".join)
# Mostly well-formed rows, as exports are: quoted fields with doubled quotes and line breaks inside;
# now and then a field with a quote where csv takes it as text (inside an unquoted field, after a
# closing quote).
fields = st.one_of(
    st.text(alphabet="ab é,;\t", max_size=6),
    st.text(alphabet='ab ,"\n\r;', max_size=8).map(lambda t: '"' + t.replace('"', '""') + '"'),
    st.text(alphabet='ab "', max_size=5),
)
rows = st.lists(fields, min_size=1, max_size=5)
files = st.tuples(
    st.lists(rows, max_size=6), st.sampled_from([",", ";", "\t"]), st.sampled_from(["\n", "\r\n", "\r"])
).map(lambda t: t[2].join(t[1].join(row) for row in t[0]))


def _records(text: str, dialect: Any, reader: Any) -> tuple[list[list[str]], str | None]:
    """The records read before any error, and the error's text."""
    found: list[list[str]] = []
    rows: Iterator[list[str]] = reader(io.StringIO(text, newline=""), dialect)
    try:
        for row in rows:
            found.append(row)
    except csv.Error as exc:
        return found, str(exc)
    return found, None


@needs_311
@settings(max_examples=400)
@given(st.one_of(texts, files), st.sampled_from(PLAIN))
@example('a,"b""c",d\n', csv.excel)
@example('a,"b"c,d\n', csv.excel)
@example('a,b"c",d\n', csv.excel)
@example('"a",b"c"\n', csv.excel)
@example('"x\ny",z\r\nlast', csv.excel)
@example('""\n\n\r\n,,\n"""",""""""', csv.excel)
@example('"a""b",c\n', NoDoubling)
@example('a, "b"\n', csv.excel)
@example('"open', csv.excel)
def test_the_splitter_reads_what_csv_reads(text: str, dialect: Any) -> None:
    assert _records(text, dialect, csv_rows) == _records(text, dialect, csv.reader)


@needs_311
def test_a_line_over_the_field_size_limit_is_refused_as_csv_refuses_it() -> None:
    text = 'short,"quoted"\n' + "x" * 60 + ",y\n"
    before = csv.field_size_limit(50)
    try:
        expected = _records(text, csv.excel, csv.reader)
        assert expected[1] is not None and "field larger than field limit" in expected[1]
        assert _records(text, csv.excel, csv_rows) == expected
    finally:
        csv.field_size_limit(before)


@pytest.mark.parametrize("dialect", [SingleQuotes, SkipSpace])
def test_other_dialects_are_read_by_csv_itself(dialect: Any) -> None:
    text = "a, 'b,c'\n"
    assert _records(text, dialect, csv_rows) == _records(text, dialect, csv.reader)
    assert isinstance(csv_rows(io.StringIO(text, newline=""), dialect), type(csv.reader([])))


@needs_311
def test_the_sniffers_dialect_is_split_here() -> None:
    """The sniffer says "no doubled quotes" for a sample without any: such files are split here too."""
    sample = 'role_id,role_title,rationale\nR-1,"Adviser, HR","Plans, delivers."\n'
    dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    assert not dialect.doublequote
    rows = csv_rows(io.StringIO(sample, newline=""), dialect)
    assert not isinstance(rows, type(csv.reader([])))
    assert list(rows) == list(csv.reader(io.StringIO(sample, newline=""), dialect))


@needs_311
def test_plain_lines_are_split_without_csv() -> None:
    """The point of it: a file of plain lines never reaches csv.reader (whose records would be the same,
    only slower to get)."""
    rows = csv_rows(io.StringIO('a,"b, c",d\n"e ""f""",g\n', newline=""), csv.excel)
    assert not isinstance(rows, type(csv.reader([])))
    assert list(rows) == [["a", "b, c", "d"], ['e "f"', "g"]]
