"""Reading profiles from Excel workbooks (.xlsx) in the RCP template layout.

HR keeps RCPs in spreadsheets, and a spreadsheet program leaves its marks on them: a merged title row
above the real header ("Role Competencies Profile – HR Adviser", as Appendix A of the CDC/SNC policy
lays it out), role columns merged down over all of a role's rows, a level typed as the number 3 (read
back as 3.0), TRUE/FALSE in the managerial column, dates in the provenance columns, and formatting that
runs on for hundreds of blank rows. This module turns a sheet into the plain text rows a person sees,
then hands them to the same reader as CSV (:func:`competency._table_io.profiles_from_rows`), so both
formats mean the same thing and every finding points at the sheet and row.

The workbook is opened in openpyxl's read-only mode, which streams rows rather than building every cell
object, so large workbooks stay cheap; formulas are read as their last computed values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import Any

from ._errors import ProfileError
from ._profile import RoleProfile
from ._table_io import _KNOWN, _REQUIRED, normalise_header, profiles_from_rows

__all__ = ["parse_xlsx"]

#: How many rows above the header (titles, notes, blank rows) are searched for it.
_HEADER_SEARCH_ROWS = 30

_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*\bref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')

Row = tuple[int, Sequence[Any]]
#: Row number -> the vertical merged ranges it is part of, as ``(column index, last row)``; the last row
#: is ``-1`` on a range's top row, which holds the value.
_Fills = dict[int, list[tuple[int, int]]]


def parse_xlsx(path: Path, *, sheet: str | None = None) -> list[RoleProfile]:
    """The RCPs in one worksheet of ``path``: the sheet named ``sheet``, or the first visible one.

    Raises :class:`~competency.ProfileError` (one line, naming the file and, where it can, the sheet
    and row) for a file that is not a readable workbook, an unknown sheet name, or a sheet without the
    template's header.
    """
    name = str(path)
    workbook = _open(path)
    try:
        if sheet is not None:
            if sheet not in workbook.sheetnames:
                listed = ", ".join(repr(s) for s in workbook.sheetnames)
                raise ProfileError(f"no sheet named {sheet!r} (sheets: {listed})", path=name)
            worksheet = workbook[sheet]
        else:
            # "the first sheet" as a person sees it: hidden sheets (lookup lists) are skipped
            visible = [ws for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
            if not visible:
                raise ProfileError("the workbook has no visible sheet", path=name)
            worksheet = visible[0]
        title = str(worksheet.title)
        if not hasattr(worksheet, "reset_dimensions"):
            raise ProfileError(f"sheet {title!r} is a chart sheet, not a table of RCPs", path=name)
        # Some programs write a wrong used range ("A1"); read every row the sheet really has.
        worksheet.reset_dimensions()
        fills = _merged_fills(worksheet)
        rows = _text_rows(worksheet, name, title, fills)
        return profiles_from_rows(_from_header(rows), name, sheet=title)
    finally:
        workbook.close()


def _open(path: Path) -> Any:
    """The workbook, read-only; anything that is not a readable .xlsx becomes one ProfileError line."""
    import warnings
    import zipfile

    from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

    name = str(path)
    if not path.exists():
        raise ProfileError("no such file", path=name)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (conditional formats, data validation extensions).
            warnings.simplefilter("ignore")
            return load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile:
        raise ProfileError(
            "not an .xlsx workbook (not a zip archive; an encrypted workbook or an old .xls file must be "
            "saved again as .xlsx without a password)",
            path=name,
        ) from None
    except PermissionError:
        raise ProfileError("cannot read: permission denied", path=name) from None
    except IsADirectoryError:
        raise ProfileError("is a folder, not a workbook", path=name) from None
    except Exception as exc:  # openpyxl raises many types for damaged archives
        raise ProfileError(
            f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})", path=name
        ) from None


def _text_rows(worksheet: Any, path: str, sheet: str, fills: _Fills) -> Iterator[Row]:
    """Numbered rows of cell text, with merged ranges filled down as a person reads them."""
    above: dict[int, Any] = {}  # column -> value of the top cell of a vertical merge in progress
    number = 0
    try:
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells = [_text(v) for v in values]
            for column, last in fills.get(number, ()):
                if last < 0:  # the top cell of a vertical merge
                    above[column] = cells[column] if column < len(cells) else None
                elif column in above:
                    if len(cells) <= column:
                        cells.extend([None] * (column + 1 - len(cells)))
                    if cells[column] in (None, ""):
                        cells[column] = above[column]
                    if last == number:
                        del above[column]
            yield number, cells
    except ProfileError:
        raise
    except Exception as exc:
        raise ProfileError(
            f"damaged worksheet ({type(exc).__name__}: {exc})", path=path, where=f"{sheet}!row {number + 1}"
        ) from None


def _text(value: Any) -> Any:
    """A cell value as the text a person sees (numbers stay numbers for the shared reader's rules)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _from_header(rows: Iterator[Row]) -> Iterator[Row]:
    """The rows from the header on: titles and notes above the template's header are skipped.

    The header is the first row naming every required column. When no row within the first
    :data:`_HEADER_SEARCH_ROWS` does, the row naming the most template columns is offered as the header,
    so that the error says which columns are missing from the table the person meant.
    """
    buffered: list[Row] = []
    best: tuple[int, int] | None = None  # (number of known columns, position in buffered)
    for row in rows:
        buffered.append(row)
        names = {normalise_header(str(c)) for c in row[1] if c not in (None, "")}
        if not names:
            continue
        if all(column in names for column in _REQUIRED):
            return chain(buffered[-1:], rows)
        known = len(names & _KNOWN)
        if best is None or known > best[0]:
            best = (known, len(buffered) - 1)
        if len(buffered) >= _HEADER_SEARCH_ROWS:
            break
    start = best[1] if best is not None and best[0] > 0 else 0
    return chain(buffered[start:], rows)


def _merged_fills(worksheet: Any) -> _Fills:
    """The vertical merged ranges of a sheet, by row (see :data:`_Fills`).

    Read-only mode streams cell values only, and a merged range holds its value in its top-left cell;
    the other cells read as empty. A role's columns merged down over its competency rows mean that value
    on every row, so the reader fills them down. Horizontal merges (a title across the columns) need no
    filling. The ranges sit at the end of the sheet's XML, found here with one scan of the raw bytes.
    """
    try:
        source = worksheet._get_source()
    except Exception:
        return {}
    found: _Fills = {}
    tail = b""
    try:
        with source:
            while True:
                chunk = source.read(1 << 20)
                if not chunk:
                    break
                data = tail + chunk
                end = data.rfind(b"<")
                scan, tail = (data[:end], data[end:]) if end > 0 else (data, b"")
                if b"mergeCell" not in scan:
                    continue
                for match in _MERGE_CELL.finditer(scan):
                    _add_range(found, match.groups())
            for match in _MERGE_CELL.finditer(tail):
                _add_range(found, match.groups())
    except Exception:
        return {}
    return found


def _add_range(found: _Fills, ref: tuple[bytes, ...]) -> None:
    first_col, first_row, _last_col, last_row = ref
    top, bottom = int(first_row), int(last_row)
    if bottom <= top:
        return  # one row: nothing to fill down
    column = _column_index(first_col.decode("ascii"))
    found.setdefault(top, []).append((column, -1))
    for number in range(top + 1, bottom + 1):
        found.setdefault(number, []).append((column, bottom))


def _column_index(letters: str) -> int:
    """``"A"`` -> 0, ``"AB"`` -> 27."""
    index = 0
    for letter in letters:
        index = index * 26 + (ord(letter) - 64)
    return index - 1
