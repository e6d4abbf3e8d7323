"""Reading profiles from tables in the RCP template layout (CSV files and spreadsheet sheets).

One row per role × competency, as HR keeps them in spreadsheets (Appendix A of the CDC/SNC policy:
Type, Competence, Definition, Level A-H, Rationale, plus the role's columns). Header names are matched
case-insensitively, with spaces, hyphens and underscores treated alike, and the column order is free.

Rows that share every role column (id, title, organisation, family, managerial, grade, framework) form
one RCP, wherever they stand in the table. Rows that share a role id but disagree on another role column
form separate RCPs, so that the ``duplicate-role`` rule shows the panel both rather than the reader
silently picking one.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ._builders import positional_builder, slot_setters
from ._errors import ProfileError
from ._fast_csv import csv_rows
from ._profile import FrameworkRef, ProfileEntry, Provenance, RoleProfile, SourceLocation, Suppression

__all__ = ["TEMPLATE_COLUMNS", "CsvShares", "parse_csv", "profiles_from_rows", "read_csv", "shift_rows"]

#: Canonical column names, in the order `competency template` writes them.
TEMPLATE_COLUMNS = (
    "role_id", "role_title", "organisation", "role_family", "managerial", "type", "competence",
    "definition", "level", "rationale",
)  # fmt: skip

_REQUIRED = ("role_id", "role_title", "managerial", "competence", "level")

#: Other spellings people use for the canonical columns (after normalisation).
_ALIASES = {
    "role": "role_title",
    "title": "role_title",
    "job_title": "role_title",
    "id": "role_id",
    "organization": "organisation",
    "council": "organisation",
    "family": "role_family",
    "competency": "competence",
    "level_a_h": "level",
    "required_level": "level",
    "manager": "managerial",
    "is_managerial": "managerial",
}

#: Columns with a meaning of their own (everything else becomes role metadata).
_KNOWN = {
    *TEMPLATE_COLUMNS, "framework", "framework_version", "grade", "status", "profiled_by", "profiled_on",
    "moderated_by", "moderator", "moderated_on", "ignore",
}  # fmt: skip

_ROLE_COLUMNS = (
    "role_id",
    "role_title",
    "organisation",
    "role_family",
    "managerial",
    "grade",
    "framework",
    "framework_version",
    "status",
    "profiled_by",
    "profiled_on",
    "moderated_by",
    "moderator",
    "moderated_on",
)

# The reader builds an entry and a location per row, and an RCP per role: through their slots, a third
# faster than the classes' own constructors (see competency._builders).
_ENTRY_SETTERS = slot_setters(ProfileEntry)
_LOCATION_SETTERS = slot_setters(SourceLocation)
_new_location = positional_builder(SourceLocation)
_new_profile = positional_builder(RoleProfile)

_TRUE = {"yes", "y", "true", "t", "1", "managerial", "manager", "x"}
_FALSE = {"no", "n", "false", "f", "0", "non-managerial", "not managerial", ""}
_NORMALISE_HEADER = re.compile(r"[\s\-_/]+")


def normalise_header(name: str) -> str:
    """``"Level A-H"`` -> ``"level_a_h"``; then aliases map it to a canonical column."""
    key = _NORMALISE_HEADER.sub("_", name.strip().lstrip("\ufeff").casefold()).strip("_")
    return _ALIASES.get(key, key)


def parse_csv(data: bytes, path: str, *, encoding: str = "utf-8-sig") -> list[RoleProfile]:
    """The RCPs in a CSV file's bytes."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ProfileError(
            f"cannot be read as {encoding} (byte 0x{data[exc.start]:02x}); if it was exported from Excel, "
            "try --encoding cp1252",
            path=path,
            where=f"line {line}",
        ) from None
    except LookupError:
        raise ProfileError(f"unknown encoding {encoding!r}", path=path) from None
    if not text.strip():
        raise ProfileError("empty file: expected a header row and one row per role × competency", path=path)
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text[:4096]))
    try:
        return profiles_from_rows(enumerate(reader, start=1), path, text=True)
    except csv.Error as exc:
        raise ProfileError(f"malformed CSV: {exc}", path=path, where=f"row {reader.line_num}") from None


def _dialect(sample: str) -> Any:
    """The CSV dialect of a file, sniffed from its first 4096 characters (Excel's, failing that)."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t") if "\n" in sample else csv.excel
    except csv.Error:
        return csv.excel


class _Careful(Exception):
    """The streaming reader hands a file over to :func:`parse_csv` on its bytes."""


def read_csv(path: Path, name: str, *, encoding: str = "utf-8-sig") -> list[RoleProfile]:
    """The RCPs in a CSV file, read as a stream: exactly :func:`parse_csv` on the file's bytes, without
    holding the bytes or their text.

    A shared HR service's file of 10⁵ roles is hundreds of megabytes; holding it as bytes, as text and
    as a text buffer took more memory than the profiles themselves. Files that are unreadable, blank at
    the start, or that raise any error are read again by :func:`parse_csv`, so that every error message
    (a bad byte anywhere in the file is reported before a bad row) is the one it has always been. Its
    plain lines are split without ``csv.reader`` (:mod:`competency._fast_csv`), into the same records.
    """
    try:
        handle = open(path, encoding=encoding, newline="")  # noqa: SIM115 - closed below
    except (OSError, LookupError):
        handle = None
    if handle is not None:
        try:
            with handle:
                sample = handle.read(4096)
                if not sample.strip():
                    raise _Careful
                handle.seek(0)
                _large_chunks(handle)
                reader = csv_rows(handle, _dialect(sample))
                try:
                    return profiles_from_rows(enumerate(reader, start=1), name, text=True)
                except csv.Error:
                    raise _Careful from None
        except (_Careful, UnicodeError, ProfileError):
            pass
    from ._toml_io import read_bytes

    return parse_csv(read_bytes(path, ProfileError), name, encoding=encoding)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def profiles_from_rows(
    rows: Iterable[tuple[int, Sequence[Any]]],
    path: str,
    *,
    sheet: str | None = None,
    text: bool = False,
    tail: list[Any] | None = None,
) -> list[RoleProfile]:
    """RCPs from numbered rows (the first non-blank row is the header); used for CSV and spreadsheets.

    ``text`` says every cell is already a string (CSV), so cells only need stripping: the row loop is
    the reader's hot path (10⁶ rows for a shared HR service), and everything in it is kept to C-level
    calls, with the work of naming a place left to the error paths. (Taking the rows column by column
    in C-level passes was tried, and is slower: it walks every row's list once per column.) ``tail``,
    when given, receives the last ``(number, row)`` read.
    """

    def cells(row: Sequence[Any]) -> list[str]:
        return list(map(str.strip, row)) if text else [_cell(c) for c in row]

    def place(number: int) -> str:
        return f"{sheet}!row {number}" if sheet else f"row {number}"

    iterator = iter(rows)
    header: list[str] | None = None
    for number, row in iterator:
        stripped = cells(row)
        if any(stripped):
            header = stripped
            header_number = number
            break
    if header is None:
        raise ProfileError("empty: expected a header row and one row per role × competency", path=path)
    columns = [normalise_header(name) for name in header]
    index: dict[str, int] = {}
    for pos, name in enumerate(columns):
        if not name:
            continue
        if name in index:
            raise ProfileError(f"column {header[pos]!r} appears twice", path=path, where=place(header_number))
        index[name] = pos
    missing = [name for name in _REQUIRED if name not in index]
    if missing:
        raise ProfileError(
            f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(found: {', '.join(h for h in header if h) or 'none'})",
            path=path,
            where=place(header_number),
        )
    extra = [(name, pos) for name, pos in index.items() if name not in _KNOWN]
    get = {name: index.get(name) for name in _KNOWN}
    width = len(header)
    i_role, i_title = index["role_id"], index["role_title"]
    i_comp, i_level = index["competence"], index["level"]
    i_rat, i_type, i_ignore = get["rationale"], get["type"], get["ignore"]
    # Rows that agree on every role column present form one RCP (absent columns agree everywhere).
    role_key = operator.itemgetter(*(pos for pos in (get[name] for name in _ROLE_COLUMNS) if pos is not None))
    provenance = any(get[name] is not None for name in _PROVENANCE)

    groups: dict[Any, tuple[int, list[str], list[ProfileEntry]]] = {}  # role key -> (row, cells, entries)
    # Cells are stripped where they are used rather than all of them per row, and the role key is first
    # taken from the cells as written: ``by_written`` maps each written key to its RCP's entries, so that
    # keys differing only in outer white space still make one RCP.
    by_written: dict[Any, list[ProfileEntry]] = {}
    # One string object per distinct competency name, level and type as written, rather than one per
    # row: 10⁶ rows repeat a dozen names, and a shared string is stored once, stripped once, and hashed
    # once by every later look-up (a blank level or type is None).
    names, levels, kinds = _Canonical(), _Canonical(), _Canonical()
    required = (i_role, i_title, i_comp)
    strip = str.strip
    raw: Sequence[Any] | None = None
    last_key: Any = None  # an RCP's rows usually stand together: look its group up once per run of rows
    add: Callable[[ProfileEntry], None] = list.append.__get__([])
    # Each row's entry and location are built here field by field, as competency._builders' builders
    # would build them, without the call of a builder (a sixth of the time of a row in this loop).
    new = object.__new__
    set_path, set_line, set_sheet = _LOCATION_SETTERS
    set_comp, set_level, set_rat, set_type, set_ignore, set_loc = _ENTRY_SETTERS
    for number, raw in iterator:
        record: Sequence[Any] = raw if text else [_cell(c) for c in raw]
        if len(record) != width:
            record = ([*record, *[""] * width])[:width]
        key = role_key(record)
        if key != last_key:
            kept = by_written.get(key)
            if kept is None:
                stripped = list(map(strip, record))
                if not (stripped[i_role] and stripped[i_title] and names[record[i_comp]]):
                    _refuse_or_skip(stripped, raw, text, number, required, header, path, place)
                    continue  # a blank row
                stripped_key = role_key(stripped)
                group = groups.get(stripped_key)
                if group is None:
                    group = groups[stripped_key] = (number, stripped, [])
                kept = by_written[key] = group[2]
            last_key, add = key, kept.append
        competence = names[record[i_comp]]
        if competence is None:
            _refuse_or_skip(list(map(strip, record)), raw, text, number, required, header, path, place)
            continue  # never: a record with a role id is not blank
        ignore: tuple[Suppression, ...] = ()
        if i_ignore is not None and record[i_ignore]:
            ignore = _suppressions(record[i_ignore])
        location = new(SourceLocation)
        set_path(location, path)
        set_line(location, number)
        set_sheet(location, sheet)
        entry = new(ProfileEntry)
        set_comp(entry, competence)
        set_level(entry, levels[record[i_level]])
        set_rat(entry, strip(record[i_rat]) if i_rat is not None else "")
        set_type(entry, kinds[record[i_type]] if i_type is not None else None)
        set_ignore(entry, ignore)
        set_loc(entry, location)
        add(entry)
    if tail is not None and raw is not None:
        # The loop's variables hold the last row read: no bookkeeping per row.
        tail[:] = [(number, raw)]
    roles = _RoleColumns(get, extra, header, path, sheet, place, provenance)
    return [roles.profile(first_cells, entries, first) for first, first_cells, entries in groups.values()]


class _Canonical(dict[str, str | None]):
    """Cells as written -> stripped, one string object per distinct value (``None`` for a blank cell)."""

    def __init__(self) -> None:
        super().__init__()
        self._shared: dict[str, str] = {}

    def __missing__(self, written: str) -> str | None:
        stripped = written.strip()
        value = self._shared.setdefault(stripped, stripped) if stripped else None
        self[written] = value
        return value


def _refuse_or_skip(
    stripped: list[str],
    raw: Sequence[Any],
    text: bool,
    number: int,
    required: tuple[int, int, int],
    header: list[str],
    path: str,
    place: Callable[[int], str],
) -> None:
    """Returns for a blank row (every cell blank, beyond the header's too); raises for a row that lacks
    its role id, role title or competency."""
    if not any(map(str.strip, raw) if text else map(_cell, raw)):
        return
    for pos, what in zip(required, ("role_id", "role_title", "competence"), strict=True):
        if not stripped[pos]:
            raise ProfileError(f"empty {what}", path=path, where=f"{place(number)}, column {header[pos]!r}")


def _suppressions(text: str) -> tuple[Suppression, ...]:
    """``"missing-rationale: agreed by panel; copied-rationale"`` -> suppressions (reason may be empty)."""
    found = []
    for part in text.split(";"):
        rule, _, reason = part.partition(":")
        if rule.strip():
            found.append(Suppression(rule.strip(), reason.strip()))
    return tuple(found)


class _RoleColumns:
    """How a table's role columns make an RCP: column positions looked up once per table, and the few
    distinct managerial flags and framework references read once each (10⁵ RCPs repeat them)."""

    def __init__(
        self,
        get: dict[str, int | None],
        extra: list[tuple[str, int]],
        header: list[str],
        path: str,
        sheet: str | None,
        place: Callable[[int], str],
        provenance_columns: bool,
    ) -> None:
        self.get, self.extra, self.header = get, extra, header
        self.path, self.sheet, self.place = path, sheet, place
        self.provenance_columns = provenance_columns
        # A role's cells, with one more blank cell after them: the position of every absent column.
        blank = len(header)
        self.at = at = {name: blank if pos is None else pos for name, pos in get.items()}
        self.at_id, self.at_title, self.at_org, self.at_family = (
            at["role_id"], at["role_title"], at["organisation"], at["role_family"],
        )  # fmt: skip
        self.at_managerial, self.at_grade = at["managerial"], at["grade"]
        self.at_framework, self.at_version = at["framework"], at["framework_version"]
        self._flags: dict[str, bool] = {}
        self._refs: dict[tuple[str, str], FrameworkRef | None] = {}

    def profile(self, row: list[str], entries: list[ProfileEntry], number: int) -> RoleProfile:
        """The RCP whose first row is ``row`` (its stripped cells), with ``entries``."""
        cells = [*row, ""]
        managerial = self._flags.get(cells[self.at_managerial])
        if managerial is None:
            managerial = self._flag(cells[self.at_managerial], number)
        written = (cells[self.at_framework], cells[self.at_version])
        if written in self._refs:
            framework = self._refs[written]
        else:
            framework = self._refs[written] = (
                FrameworkRef(written[0], written[1] or None) if written[0] else None
            )
        provenance = None
        if self.provenance_columns:
            provenance = _provenance(lambda name: cells[self.at[name]], self.path, self.place(number))
        return _new_profile(
            cells[self.at_id],
            cells[self.at_title],
            tuple(entries),
            cells[self.at_org] or None,
            cells[self.at_family] or None,
            managerial,
            cells[self.at_grade] or None,
            framework,
            provenance,
            (),
            {self.header[pos]: row[pos] for _, pos in self.extra if row[pos]},
            _new_location(self.path, number, self.sheet),
        )

    def _flag(self, text: str, number: int) -> bool:
        folded = text.casefold()
        if folded in _TRUE:
            flag = True
        elif folded in _FALSE:
            flag = False
        else:
            pos = self.get["managerial"]
            column = self.header[pos] if pos is not None else "managerial"
            raise ProfileError(
                f"managerial must be yes or no, got {text!r}",
                path=self.path,
                where=f"{self.place(number)}, column {column!r}",
            )
        self._flags[text] = flag
        return flag


_PROVENANCE = ("status", "profiled_by", "profiled_on", "moderated_by", "moderator", "moderated_on")


def _provenance(value: Any, path: str, where: str) -> Provenance | None:
    raw = {name: value(name) for name in _PROVENANCE}
    if not any(raw.values()):
        return None
    from ._converter import structure

    data = {name: text for name, text in raw.items() if text}
    if "moderated_by" in data:
        data["moderated_by"] = data["moderated_by"].casefold().replace(" ", "-")
    if "status" in data:
        data["status"] = data["status"].casefold()
    try:
        return structure(data, Provenance, error=ProfileError, path=path)
    except ProfileError as exc:
        raise ProfileError(exc.message, path=path, where=f"{where}, column {exc.where!r}") from None


# -- reading one CSV file in shares (``competency check --jobs``) ------------------------------------------


class _ByteRange(io.RawIOBase):
    """Bytes ``start``–``end`` of a file, as a raw stream (so a text wrapper decodes only that share)."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        super().__init__()
        self._file = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by close()
        self._file.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            return 0
        view = memoryview(buffer)
        count = self._file.readinto(view[: min(len(view), self._left)]) or 0
        self._left -= count
        return count

    def close(self) -> None:
        self._file.close()
        super().close()


def _open_range(path: Path, encoding: str, start: int, end: int) -> io.TextIOWrapper:
    return _large_chunks(
        io.TextIOWrapper(io.BufferedReader(_ByteRange(path, start, end), 1 << 16), encoding, newline="")
    )


def _large_chunks(handle: io.TextIOWrapper) -> io.TextIOWrapper:
    """``handle``, decoding 64 KiB at a time rather than 8: a 300 MB file then takes an eighth of the
    read and decode calls (5% of reading a share). ``_CHUNK_SIZE`` is CPython's own setting of the text
    layer; where it cannot be set, the default stands."""
    with contextlib.suppress(AttributeError, TypeError, ValueError):
        handle._CHUNK_SIZE = 1 << 16  # type: ignore[attr-defined]
    return handle


class CsvShares:
    """One CSV file cut at row boundaries into consecutive byte ranges, one per process.

    The cuts are found cheaply and optimistically: after a line break near each nominal cut, and, where
    the lines there are simple, where the role changes (so an RCP's rows stay in one share). Whether a
    cut really falls between records is only known once the share before it has been parsed from the
    start of the file: :meth:`read` reports it, and the caller falls back to one process when a cut fell
    inside a quoted field or an RCP's rows straddle a cut.
    """

    def __init__(
        self, path: Path, name: str, encoding: str, dialect: Any, header: list[str], cuts: list[int]
    ) -> None:
        self.path, self.name, self.encoding, self.dialect = path, name, encoding, dialect
        self.header = header
        self.bounds = list(zip([0, *cuts], [*cuts, path.stat().st_size], strict=True))

    @classmethod
    def plan(
        cls, path: Path, name: str, encoding: str, parts: int, *, last_weight: float = 1.0
    ) -> CsvShares | None:
        """Cuts for ``parts`` shares, or ``None`` when the file should be read in one piece.

        The last share is ``last_weight`` times the size of each of the others (the process that
        reads it has more to do afterwards)."""
        if encoding.replace("_", "-").lower() not in _BYTE_NEWLINE_ENCODINGS or parts < 2:
            return None
        try:
            size = path.stat().st_size
            with open(path, encoding=encoding, newline="") as handle:
                sample = handle.read(4096)
        except (OSError, UnicodeError, LookupError):
            return None
        dialect = _dialect(sample)
        header = _first_row(sample, dialect)
        if header is None:
            return None
        keys = _role_positions(header)
        cuts: list[int] = []
        with open(path, "rb") as raw:
            unit = size / (last_weight + parts - 1)
            for part in range(1, parts):
                nominal = int(unit * part)
                cut = _cut_near(raw, nominal, dialect, keys, len(header), encoding)
                if cut is None or (cuts and cut <= cuts[-1]) or cut >= size:
                    return None
                cuts.append(cut)
        if not cuts or cuts[0] <= len(sample.encode(encoding, "replace")):
            return None
        return cls(path, name, encoding, dialect, header, cuts)

    def read(self, share: int) -> tuple[list[RoleProfile], int, bool]:
        """The RCPs of one share, the number of records it held, and whether it ended between records.

        Rows are numbered from the start of the share (the first share holds the header, row 1);
        :func:`shift_rows` moves a later share's numbers once the records before it are counted.
        """
        start, end = self.bounds[share]
        with _open_range(self.path, self.encoding, start, end) as handle:
            reader = csv_rows(handle, self.dialect)
            numbers = itertools.count(1)
            tail: list[Any] = []
            # ``zip`` pulls the number before the row: once the rows run out, ``numbers`` has moved one
            # past the last record, hence the ``- 2`` below.
            rows: Iterable[tuple[int, Sequence[Any]]] = zip(numbers, reader, strict=False)
            if share > 0:
                rows = itertools.chain([(0, self.header)], rows)
            profiles = profiles_from_rows(rows, self.name, text=True, tail=tail)
            records = next(numbers) - 2
        # A share that stopped inside a quoted field hands back a last field holding the line break.
        last_row = tail[0][1] if tail else None
        clean = not (last_row and last_row[-1].endswith(("\n", "\r")))
        return profiles, records, clean


#: Encodings in which a line break is the byte 0x0A and never part of another character.
_BYTE_NEWLINE_ENCODINGS = {"utf-8", "utf-8-sig", "utf8", "ascii", "latin-1", "latin1", "iso-8859-1", "cp1252"}


def _first_row(sample: str, dialect: Any) -> list[str] | None:
    """The header row of a file from its first characters, when it ends inside them."""
    lines = sample.splitlines(keepends=True)[:-1]  # the last line may be cut short
    for number, row in enumerate(csv.reader(lines, dialect), start=1):
        if any(cell.strip() for cell in row):
            return row if number < len(lines) else None
    return None


def _role_positions(header: list[str]) -> list[int]:
    columns = [normalise_header(name) for name in header]
    return [pos for pos, name in enumerate(columns) if name in _ROLE_COLUMNS]


def _cut_near(raw: Any, nominal: int, dialect: Any, keys: list[int], width: int, encoding: str) -> int | None:
    """A byte offset just after a line break at or after ``nominal`` that looks like the start of a
    record, moved on to where the role changes if the lines after it show that plainly.

    A line break inside a quoted field looks like any other: a candidate is taken when the next few
    records parsed from it all have the header's number of cells (a cut inside a field breaks that at
    once), and lines are then walked only while each holds an even number of quotes (so each ends a
    record). It is a guess; :meth:`CsvShares.read` finds out for certain.
    """
    raw.seek(nominal)
    window: bytes = raw.read(1 << 18)
    candidate = window.find(b"\n")
    for _ in range(64):
        if candidate < 0:
            return None
        probe = window[candidate + 1 : candidate + 1 + (1 << 14)].decode(encoding, "replace")
        records = list(csv.reader(io.StringIO(probe, newline=""), dialect))[:-1][:8]
        if records and all(len(row) == width for row in records):
            break
        candidate = window.find(b"\n", candidate + 1)
    else:
        return None
    cut = nominal + candidate + 1
    first_key = None
    offset = cut
    for line in window[candidate + 1 :].split(b"\n")[:-1]:
        if line.count(b'"') % 2:
            break  # opens a field that spans lines: keep the last plain boundary
        try:
            row = next(csv.reader([line.decode(encoding)], dialect), [])
        except (UnicodeError, csv.Error):
            break
        key = tuple(row[pos].strip() if pos < len(row) else "" for pos in keys)
        if first_key is None:
            first_key = key
        elif key != first_key:
            return offset
        offset += len(line) + 1
    return cut


def shift_rows(profiles: Sequence[RoleProfile], offset: int) -> None:
    """Add ``offset`` to the row numbers of a share's just-read RCPs, before anyone else sees them.

    A share's rows are numbered from its own start because the records before it are counted by
    another process at the same time; its locations are fixed up in place (they are frozen for
    everyone else, and no one else holds them yet).
    """
    _, set_line, _ = _LOCATION_SETTERS  # the slot's own setter: no look-up of the name per row
    for profile in profiles:
        for entry in profile.competencies:
            location = entry.location
            if location is not None and location.line is not None:
                set_line(location, location.line + offset)
        location = profile.location
        if location is not None and location.line is not None:
            set_line(location, location.line + offset)
