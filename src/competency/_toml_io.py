"""Reading and writing framework and profile TOML files.

TOML parsing is tomllib's (tomli before Python 3.11), writing is tomli-w's; this module only adds the
file-level shape (``format``, ``framework``, ``[[roles]]``), the line numbers findings point at, and
error messages that name the file.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from ._converter import structure, unstructure
from ._errors import CompetencyError, FrameworkError, ProfileError
from ._framework import Framework
from ._profile import FrameworkRef, ProfileEntry, RoleProfile, SourceLocation

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

__all__ = [
    "dumps_framework",
    "dumps_profiles",
    "parse_framework",
    "parse_profiles",
    "read_toml",
]

#: The version of the file formats this release reads and writes.
FORMAT_VERSION = 1

#: ``[[roles]]`` (group 1 empty) and ``[[roles.competencies]]`` (group 1 set) headers. The pattern starts
#: with its literal "[[", which the regex engine finds by a fast scan; that only spaces or tabs stand
#: before it on its line is checked per match (see _header_lines).
_HEADER = re.compile(rb"\[\[[ \t]*roles[ \t]*(\.[ \t]*competencies[ \t]*)?\]\]")
_TOML_ERROR_AT = re.compile(r"^(.*) \(at line (\d+), column (\d+)\)$")


def read_toml(data: bytes, path: str, error: type[CompetencyError]) -> dict[str, Any]:
    """Parse TOML bytes; a syntax or encoding error becomes ``error`` naming file, line and column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", path=path) from None
    try:
        parsed: dict[str, Any] = tomllib.loads(text)
        return parsed
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_ERROR_AT.match(message)
        if match:
            raise error(
                f"invalid TOML: {match.group(1)}",
                path=path,
                where=f"line {match.group(2)}, column {match.group(3)}",
            ) from None
        raise error(f"invalid TOML: {message}", path=path) from None


def _check_format(data: dict[str, Any], path: str, error: type[CompetencyError]) -> None:
    fmt = data.get("format", FORMAT_VERSION)
    if isinstance(fmt, bool) or not isinstance(fmt, int):
        raise error(f"expected an integer, got {fmt!r}", path=path, where="format")
    if fmt != FORMAT_VERSION:
        raise error(
            f"file format {fmt} is not supported by this release (it reads format {FORMAT_VERSION})",
            path=path,
            where="format",
        )


# -- frameworks -----------------------------------------------------------------------------------------
def parse_framework(data: bytes, path: str, *, parsed: dict[str, Any] | None = None) -> Framework:
    """A framework from the bytes of a framework TOML file (``parsed``: what tomllib makes of them,
    when already known — see competency._parsed_frameworks)."""
    raw = read_toml(data, path, FrameworkError) if parsed is None else parsed
    _check_format(raw, path, FrameworkError)
    return structure(raw, Framework, error=FrameworkError, path=path)


_FRAMEWORK_ORDER = (
    "format", "id", "title", "version", "publisher", "source", "description", "default_scale",
    "scales", "kinds", "clusters", "competencies",
)  # fmt: skip


def framework_data(framework: Framework) -> dict[str, Any]:
    """The framework as plain TOML-ready data, keys in the documented order."""
    raw = unstructure(framework)
    raw["format"] = framework.format
    return {key: raw[key] for key in _FRAMEWORK_ORDER if key in raw}


def dumps_framework(framework: Framework, *, schema: str | None = None) -> str:
    """The text of a framework TOML file (optionally starting with a ``#:schema`` directive)."""
    header = f"#:schema {schema}\n" if schema else ""
    from ._toml_writer import dumps  # writing only: kept off the reading path

    return header + dumps(framework_data(framework))


# -- profiles -------------------------------------------------------------------------------------------
def parse_profiles(data: bytes, path: str) -> list[RoleProfile]:
    """The RCPs of a profile TOML file, each with its source line."""
    raw = read_toml(data, path, ProfileError)
    _check_format(raw, path, ProfileError)
    extra = sorted(set(raw) - {"format", "framework", "roles"})
    if extra:
        raise ProfileError("unknown key (allowed here: format, framework, roles)", path=path, where=extra[0])
    default_ref: FrameworkRef | None = None
    if "framework" in raw:
        try:
            default_ref = structure(raw["framework"], FrameworkRef, error=ProfileError, path=path)
        except ProfileError as exc:
            where = "framework" + (f".{exc.where}" if exc.where else "")
            raise ProfileError(exc.message, path=path, where=where) from None
    roles = raw.get("roles")
    if roles is None:
        raise ProfileError("no [[roles]] in this file", path=path, where="roles")
    if not isinstance(roles, list):
        raise ProfileError("expected an array of tables [[roles]]", path=path, where="roles")
    role_lines, entry_lines = _header_lines(data, roles)
    profiles: list[RoleProfile] = []
    for index, role in enumerate(roles):
        try:
            profile = structure(role, RoleProfile, error=ProfileError, path=path)
        except ProfileError as exc:
            where = f"roles[{index}]" + (f".{exc.where}" if exc.where else "")
            raise ProfileError(exc.message, path=path, where=where) from None
        # The profile and its entries were built just above and nothing else holds them yet, so their
        # locations (and the file's default framework) are set the way attrs' own __init__ sets the
        # fields of a frozen instance, rather than rebuilding every entry with attrs.evolve (a tenth
        # of reading a folder of 10⁴ one-role files). Locations are never part of a value's equality.
        lines = entry_lines[index] if entry_lines else None
        for pos, entry in enumerate(profile.competencies):
            _set(entry, "location", SourceLocation(path, lines[pos] if lines else None))
        if profile.framework is None and default_ref is not None:
            _set(profile, "framework", default_ref)
        _set(profile, "location", SourceLocation(path, role_lines[index] if role_lines else None))
        profiles.append(profile)
    return profiles


_set = object.__setattr__


def _header_lines(data: bytes, roles: list[Any]) -> tuple[list[int] | None, list[list[int]] | None]:
    """1-based line of each ``[[roles]]`` and ``[[roles.competencies]]`` header, matched to the data.

    When the file uses inline tables instead of headers the counts do not match, and no lines are given
    rather than wrong ones. One scan finds both kinds of header, in order, counting newlines as it goes.
    """
    role_lines: list[int] = []
    entry_lines: list[list[int]] = [[]]
    line, last = 1, 0
    for match in _HEADER.finditer(data):
        pos = match.start()
        if pos and data[pos - 1] != 10:  # not at the start of its line: only spaces or tabs may precede
            line_start = data.rfind(b"\n", 0, pos) + 1
            if data[line_start:pos].strip(b" \t"):
                continue
        line += data.count(b"\n", last, pos)
        last = pos
        if match.group(1) is None:
            role_lines.append(line)
            if len(role_lines) > 1:
                entry_lines.append([])
        else:
            entry_lines[-1].append(line)
    if len(role_lines) != len(roles):
        return None, None
    for role, mine in zip(roles, entry_lines, strict=False):
        expected = role.get("competencies", []) if isinstance(role, dict) else None
        if not isinstance(expected, list) or len(expected) != len(mine):
            return role_lines, None
    return role_lines, entry_lines[: len(role_lines)]


def profiles_data(profiles: Iterable[RoleProfile]) -> dict[str, Any]:
    """Plain TOML-ready data for a profile file; a framework shared by every role is written once."""
    items = list(profiles)
    refs = {p.framework for p in items}
    shared = refs.pop() if len(refs) == 1 else None
    out: dict[str, Any] = {"format": FORMAT_VERSION}
    if shared is not None:
        out["framework"] = unstructure(shared)
    roles = []
    for profile in items:
        role = unstructure(attrs.evolve(profile, framework=None) if shared is not None else profile)
        roles.append(_role_order(role))
    out["roles"] = roles
    return out


_ROLE_ORDER = (
    "id", "title", "organisation", "family", "managerial", "grade", "framework", "provenance", "ignore",
    "metadata", "competencies",
)  # fmt: skip


def _role_order(role: dict[str, Any]) -> dict[str, Any]:
    return {key: role[key] for key in _ROLE_ORDER if key in role}


def dumps_profiles(profiles: Iterable[RoleProfile], *, schema: str | None = None) -> str:
    """The text of a profile TOML file holding ``profiles``."""
    header = f"#:schema {schema}\n" if schema else ""
    from ._toml_writer import dumps

    return header + dumps(profiles_data(profiles))


def entry_data(entry: ProfileEntry) -> dict[str, Any]:
    """Plain data for one entry (used by writers of other formats)."""
    data: dict[str, Any] = unstructure(entry)
    return data


def read_bytes(path: Path, error: type[CompetencyError]) -> bytes:
    """The bytes of ``path``; a missing or unreadable file becomes ``error`` naming it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise error("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise error("is a folder, not a file", path=str(path)) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", path=str(path)) from None
