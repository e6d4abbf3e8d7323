"""Loading and dumping frameworks and profile sets: the file-level public API.

``load_framework`` takes a bundled id ("cdc-snc-2015") or a path; ``load_profiles`` takes any mix of TOML
files, CSV files, spreadsheets and folders (searched recursively). Every failure is a
:class:`~competency.CompetencyError` naming the file and the place in it.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

from ._errors import CompetencyError, FrameworkError, ProfileError, UnknownFrameworkError
from ._framework import Framework
from ._parsed_frameworks import preparsed
from ._profile import FrameworkRef, RoleProfile
from ._toml_io import dumps_framework, dumps_profiles, parse_framework, parse_profiles, read_bytes

__all__ = [
    "PROFILE_SUFFIXES",
    "bundled_framework_ids",
    "bundled_framework_path",
    "dump_framework",
    "dump_profiles",
    "iter_profile_files",
    "load_framework",
    "load_profiles",
]

#: File endings ``load_profiles`` reads, and so looks for in folders.
PROFILE_SUFFIXES = (".toml", ".csv", ".xlsx")

#: Files in a profile folder that are configuration, not profiles.
_NOT_PROFILES = {"competency.toml", "pyproject.toml"}

PathLike = str | os.PathLike[str]


def _bundled_dirs() -> Iterator[Path]:
    """Where bundled frameworks live: inside the installed package, or in a source checkout.

    The package folder is this module's own (what ``importlib.resources.files`` gives for a package on
    disk, without importing importlib.resources on every command's start-up).
    """
    here = Path(__file__).resolve()
    packaged = here.parent / "_bundled_frameworks"
    if packaged.is_dir():
        yield packaged
    checkout = here.parents[2] / "frameworks"
    if checkout.is_dir():
        yield checkout


def bundled_framework_ids() -> tuple[str, ...]:
    """Ids of the frameworks shipped with the package, sorted."""
    ids: set[str] = set()
    for folder in _bundled_dirs():
        ids.update(p.stem for p in folder.glob("*.toml"))
    return tuple(sorted(ids))


def bundled_framework_path(framework_id: str) -> Path | None:
    """The file of a bundled framework, or ``None``."""
    for folder in _bundled_dirs():
        candidate = folder / f"{framework_id}.toml"
        if candidate.is_file():
            return candidate
    return None


def _looks_like_path(text: str) -> bool:
    return text.endswith(".toml") or os.sep in text or "/" in text


def load_framework(id_or_path: PathLike | Framework) -> Framework:
    """A framework by bundled id (``"cdc-snc-2015"``) or from a TOML file.

    Raises :class:`UnknownFrameworkError` (listing the bundled ids) for an unknown id, and
    :class:`FrameworkError` naming file and key path for a malformed file.
    """
    if isinstance(id_or_path, Framework):
        return id_or_path
    text = os.fspath(id_or_path)
    path = Path(text)
    if not isinstance(id_or_path, str) or _looks_like_path(text) or path.is_file():
        if not path.exists():
            raise UnknownFrameworkError("no such framework file", path=text)
        return parse_framework(read_bytes(path, FrameworkError), text)
    bundled = bundled_framework_path(text)
    if bundled is None:
        known = ", ".join(bundled_framework_ids()) or "none"
        raise UnknownFrameworkError(f"no bundled framework {text!r} (bundled: {known}) and no such file")
    data = read_bytes(bundled, FrameworkError)
    return parse_framework(data, str(bundled), parsed=preparsed(bundled, data))


def iter_profile_files(*paths: PathLike) -> Iterator[Path]:
    """The profile files named by ``paths``: files as given, folders searched recursively, sorted."""
    for raw in paths:
        path = Path(raw)
        mode = _mode(path)
        if mode is not None and stat.S_ISDIR(mode):
            found = []
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    wanted = name.lower().endswith(PROFILE_SUFFIXES) and name not in _NOT_PROFILES
                    if wanted and not name.startswith(("~$", ".")):  # Excel lock files, hidden files
                        found.append(Path(root) / name)
            if not found:
                raise ProfileError("folder holds no profile files (.toml, .csv, .xlsx)", path=str(path))
            yield from sorted(found)
        elif mode is not None:
            yield path
        else:
            raise ProfileError("no such file or folder", path=str(path))


def _mode(path: Path) -> int | None:
    """``path.stat().st_mode``, or ``None`` where ``Path.exists`` says False — one ``stat`` where
    ``is_dir()`` then ``exists()`` made two (``check`` lists a folder's 10⁴ files, then loads each)."""
    try:
        return path.stat().st_mode
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return None
        raise
    except ValueError:  # a NUL in the name: Path.exists says False too
        return None


def load_profile_file(
    path: Path, *, encoding: str = "utf-8-sig", sheet: str | None = None
) -> list[RoleProfile]:
    """The RCPs of one file, by its ending."""
    suffix = path.suffix.lower()
    name = str(path)
    if suffix == ".toml":
        return parse_profiles(read_bytes(path, ProfileError), name)
    if suffix == ".csv":
        from ._table_io import read_csv

        return read_csv(path, name, encoding=encoding)
    if suffix in (".xlsx", ".xlsm"):
        from ._xlsx_io import parse_xlsx

        return parse_xlsx(path, sheet=sheet)
    raise ProfileError(
        f"unsupported file type {suffix or '(none)'!r}; expected .toml, .csv or .xlsx", path=name
    )


def load_profiles(
    *paths: PathLike,
    framework: Framework | str | None = None,
    encoding: str = "utf-8-sig",
    sheet: str | None = None,
) -> tuple[RoleProfile, ...]:
    """Every RCP in ``paths`` (TOML, CSV and .xlsx files, and folders searched recursively).

    ``framework`` (a :class:`Framework` or an id) is recorded on every profile whose file names none.
    ``encoding`` applies to CSV files (``"cp1252"`` for Excel's "CSV" exports); ``sheet`` picks a
    worksheet by name in spreadsheets (default: the first).
    """
    default: FrameworkRef | None = None
    if isinstance(framework, Framework):
        default = FrameworkRef(framework.id, framework.version)
    elif isinstance(framework, str):
        default = FrameworkRef(framework)
    profiles: list[RoleProfile] = []
    for path in iter_profile_files(*paths):
        for profile in load_profile_file(path, encoding=encoding, sheet=sheet):
            if default is not None and profile.framework is None:
                profile = attrs.evolve(profile, framework=default)
            profiles.append(profile)
    return tuple(profiles)


def dump_framework(framework: Framework, path: PathLike | None = None, *, schema: str | None = None) -> str:
    """The framework as TOML text; also written to ``path`` (atomically) when given."""
    text = dumps_framework(framework, schema=schema)
    if path is not None:
        write_text_atomic(Path(path), text)
    return text


def dump_profiles(
    profiles: Iterable[RoleProfile], path: PathLike | None = None, *, schema: str | None = None
) -> str:
    """Profiles as the text of a profile TOML file; also written to ``path`` (atomically) when given."""
    text = dumps_profiles(profiles, schema=schema)
    if path is not None:
        write_text_atomic(Path(path), text)
    return text


def write_text_atomic(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename, so no reader sees half a file."""
    write_bytes_atomic(path, text.encode(encoding))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and an atomic rename."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = _new_temporary(folder, f".{path.name}.", ".tmp")
    except OSError as exc:
        raise CompetencyError(f"cannot write: {exc.strerror}", path=str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


#: How ``tempfile.mkstemp`` opens its files: created here, never followed through a link.
_TEMPORARY_FLAGS = (
    os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
)


def _new_temporary(folder: Path, prefix: str, suffix: str) -> tuple[int, str]:
    """``tempfile.mkstemp(prefix=, suffix=, dir=folder)``: a new file only this user can read, opened, and
    its path. Importing tempfile (with shutil, random and the compression modules) took 6 ms of every
    ``competency check -o FILE``, a twentieth of a one-role check."""
    for _ in range(100):
        name = str(folder / f"{prefix}{os.urandom(6).hex()}{suffix}")
        try:
            return os.open(name, _TEMPORARY_FLAGS, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary file name", str(folder))
