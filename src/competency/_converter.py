"""The cattrs converters that turn TOML/JSON data into the model and back.

Two concerns shape this module:

* **Strictness with a key path.** TOML from a text editor is full of honest mistakes: a number where a
  list of strings belongs, a typo in a key. cattrs' defaults would turn ``7`` into ``"7"`` and iterate a
  string as a list of characters; the hooks here refuse both, and :func:`structure` turns cattrs'
  exception groups into one :class:`~competency.CompetencyError` whose ``where`` is the key path
  (``competencies[3].themes[1].indicators.B``).
* **Lossless round trips.** Unstructuring omits defaults (TOML has no null) and keeps every list in
  order, so ``load → dump → load`` gives back an equal model.

The converters are built once, on first use, and never changed afterwards.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args, get_origin

import attrs

from ._errors import CompetencyError
from ._framework import Cluster, Competency, Framework, Kind, LevelRange, Theme
from ._profile import FrameworkRef, ProfileEntry, Provenance, RoleProfile, SourceLocation, Suppression
from ._scale import Scale

if TYPE_CHECKING:
    import cattrs

__all__ = ["json_converter", "structure", "toml_converter", "unstructure"]

T = TypeVar("T")

#: The attrs classes that appear in files, in the order their hooks are registered.
FILE_CLASSES: tuple[type, ...] = (
    Kind,
    Cluster,
    LevelRange,
    Theme,
    Competency,
    Framework,
    Suppression,
    FrameworkRef,
    Provenance,
    ProfileEntry,
    RoleProfile,
)


#: Fields written even when they hold their default, because a reader of the file needs to see them.
_ALWAYS_WRITTEN: dict[type, tuple[str, ...]] = {
    RoleProfile: ("managerial",),
    Kind: ("applies_to",),
}


class _Invalid(ValueError):
    """A leaf value of the wrong shape; ``subpath`` continues the key path below the value."""

    def __init__(self, message: str, subpath: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.subpath = subpath


def _show(value: object) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _key(key: str) -> str:
    return f".{key}" if key.replace("-", "").replace("_", "").isalnum() else f"[{key!r}]"


# -- strict leaf hooks ----------------------------------------------------------------------------------
def _str(value: object, _: object) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"expected a string, got {_show(value)}")
    return value


def _bool(value: object, _: object) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"expected true or false, got {_show(value)}")
    return value


def _int(value: object, _: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(f"expected an integer, got {_show(value)}")
    return value


def _date(value: object, _: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _Invalid(f"expected a date (YYYY-MM-DD), got {_show(value)}")


def _str_tuple(value: object, _: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        raise _Invalid(f"expected a list of strings, got {_show(value)}")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise _Invalid(f"expected a string, got {_show(item)}", f"[{index}]")
    return tuple(value)


def _indicator_table(value: object, _: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise _Invalid(f"expected a table of level = [indicators], got {_show(value)}")
    table: dict[str, tuple[str, ...]] = {}
    for key, texts in value.items():
        try:
            table[str(key)] = _str_tuple(texts, None)
        except _Invalid as exc:
            raise _Invalid(exc.message, _key(str(key)) + exc.subpath) from None
    return table


def _str_table(value: object, _: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _Invalid(f"expected a table of strings, got {_show(value)}")
    for key, text in value.items():
        if not isinstance(text, str):
            raise _Invalid(f"expected a string, got {_show(text)}", _key(str(key)))
    return dict(value)


def _metadata(value: object, _: object) -> dict[str, str | int | float | bool]:
    if not isinstance(value, dict):
        raise _Invalid(f"expected a table, got {_show(value)}")
    for key, item in value.items():
        if not isinstance(item, str | int | float | bool):
            raise _Invalid(f"expected a string, number or boolean, got {_show(item)}", _key(str(key)))
    return dict(value)


def _level_text(value: object, _: object) -> str | None:
    """A required level as written: text or a whole number; blank means no level."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _Invalid(f'expected a level such as "D" or 3, got {_show(value)}')
    text = str(value).strip()
    return text or None


def _literal_hook(tp: Any) -> Callable[[object, object], object]:
    allowed = get_args(tp)

    def hook(value: object, _: object) -> object:
        if value not in allowed or isinstance(value, bool):
            shown = ", ".join(repr(a) for a in allowed)
            raise _Invalid(f"expected one of {shown}, got {_show(value)}")
        return value

    return hook


# -- scales: their own file shape -----------------------------------------------------------------------
_SCALE_KEYS = {"id", "name", "levels", "anchors", "cumulative", "description"}


def _structure_scale(value: object, _: object) -> Scale:
    if not isinstance(value, dict):
        raise _Invalid(f"expected a table, got {_show(value)}")
    extra = sorted(set(value) - _SCALE_KEYS)
    if extra:
        raise _Invalid(f"unknown key (allowed: {', '.join(sorted(_SCALE_KEYS))})", _key(extra[0]))
    if "id" not in value:
        raise _Invalid("missing required key", ".id")
    if "levels" not in value:
        raise _Invalid("missing required key", ".levels")
    scale_id = _wrap(".id", _str, value["id"])
    raw_levels = value["levels"]
    if not isinstance(raw_levels, list) or not raw_levels:
        raise _Invalid(f"expected a non-empty list of levels, got {_show(raw_levels)}", ".levels")
    specs: list[tuple[str, str | None]] = []
    for index, item in enumerate(raw_levels):
        where = f".levels[{index}]"
        if isinstance(item, str) and item.strip():
            specs.append((item.strip(), None))
        elif isinstance(item, int) and not isinstance(item, bool):
            specs.append((str(item), None))
        elif isinstance(item, dict):
            unknown = sorted(set(item) - {"id", "name"})
            if unknown:
                raise _Invalid("unknown key (allowed: id, name)", f"{where}{_key(unknown[0])}")
            if "id" not in item:
                raise _Invalid("missing required key", f"{where}.id")
            raw_id = item["id"]
            if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or not str(raw_id).strip():
                raise _Invalid(f"expected a level id, got {_show(raw_id)}", f"{where}.id")
            name = _wrap(f"{where}.name", _str, item["name"]) if "name" in item else None
            specs.append((str(raw_id).strip(), name))
        else:
            raise _Invalid(f"expected a level id or a table {{ id, name }}, got {_show(item)}", where)
    seen: set[str] = set()
    for index, (level_id, _name) in enumerate(specs):
        if level_id.casefold() in seen:
            raise _Invalid(f"level {level_id!r} is declared twice", f".levels[{index}]")
        seen.add(level_id.casefold())
    anchors = _wrap(".anchors", _str_tuple, value.get("anchors", []))
    known = {level_id for level_id, _ in specs}
    for index, anchor in enumerate(anchors):
        if anchor not in known:
            raise _Invalid(f"anchor {anchor!r} is not one of the levels", f".anchors[{index}]")
    cumulative = value.get("cumulative")
    if cumulative is not None:
        cumulative = _wrap(".cumulative", _bool, cumulative)
    return Scale.build(
        scale_id,
        specs,
        name=_wrap(".name", _str, value.get("name", "")),
        anchors=anchors,
        cumulative=cumulative,
        description=_wrap(".description", _str, value.get("description", "")),
    )


def _wrap(path: str, hook: Callable[[Any, Any], T], value: object) -> T:
    try:
        return hook(value, None)
    except _Invalid as exc:
        raise _Invalid(exc.message, path + exc.subpath) from None


def _unstructure_scale(scale: Scale) -> dict[str, object]:
    levels: list[object] = []
    for level in scale.levels:
        if level.name is not None:
            levels.append({"id": level.id, "name": level.name})
        elif level.id.isdigit() and str(int(level.id)) == level.id:
            levels.append(int(level.id))
        else:
            levels.append(level.id)
    out: dict[str, object] = {"id": scale.id}
    if scale.name:
        out["name"] = scale.name
    out["levels"] = levels
    if scale.anchors:
        out["anchors"] = list(scale.anchors)
    if scale.cumulative is not None:
        out["cumulative"] = scale.cumulative
    if scale.description:
        out["description"] = scale.description
    return out


# -- converters -----------------------------------------------------------------------------------------
def _is_type(expected: Any, tp: Any) -> bool:
    return bool(tp == expected)


def _is_literal(tp: Any) -> bool:
    return get_origin(tp) is Literal


def _build(*, detailed: bool, dates: Literal["native", "iso"]) -> cattrs.Converter:
    # cattrs is imported here, not at the top: reading well-formed files does not need it (see
    # competency._fast_structure), and a one-role check should not pay for importing it.
    import cattrs
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

    conv = cattrs.Converter(detailed_validation=detailed, forbid_extra_keys=True)
    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(bool, _bool)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(dt.date, _date)
    exact: list[tuple[Any, Callable[[Any, Any], Any]]] = [
        (tuple[str, ...], _str_tuple),
        (Mapping[str, tuple[str, ...]], _indicator_table),
        (Mapping[str, str], _str_table),
        (Mapping[str, str | int | float | bool], _metadata),
    ]
    for tp, hook in exact:
        conv.register_structure_hook_func(functools.partial(_is_type, tp), hook)
    conv.register_structure_hook_factory(_is_literal, _literal_hook)
    conv.register_structure_hook(Scale, _structure_scale)
    conv.register_unstructure_hook(Scale, _unstructure_scale)
    if dates == "iso":
        conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    else:
        conv.register_unstructure_hook(dt.date, lambda d: d)
    for cls in FILE_CLASSES:
        attrs.resolve_types(cls)
        omit: dict[str, Any] = {
            a.name: override(omit=True) for a in attrs.fields(cls) if not a.init or a.name == "location"
        }
        overrides: dict[str, Any] = dict(omit)
        if cls is ProfileEntry:
            overrides["level"] = override(struct_hook=_level_text)
        structure_fn: Callable[[Any, Any], Any] = make_dict_structure_fn(
            cls, conv, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=detailed, **overrides
        )
        conv.register_structure_hook(cls, _table_guard(structure_fn))
        keep: dict[str, Any] = {
            name: override(omit_if_default=False) for name in _ALWAYS_WRITTEN.get(cls, ())
        }
        conv.register_unstructure_hook(
            cls, make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True, **omit, **keep)
        )
    return conv


def _table_guard(fn: Callable[[Any, Any], T]) -> Callable[[Any, Any], T]:
    def guarded(value: Any, cls: Any) -> T:
        if not isinstance(value, dict):
            raise _Invalid(f"expected a table, got {_show(value)}")
        return fn(value, cls)

    return guarded


@functools.cache
def toml_converter(detailed: bool = True) -> cattrs.Converter:
    """The converter for TOML files (dates stay dates)."""
    return _build(detailed=detailed, dates="native")


@functools.cache
def json_converter() -> cattrs.Converter:
    """The converter for JSON output (dates become ISO strings)."""
    return _build(detailed=True, dates="iso")


# -- errors with key paths ------------------------------------------------------------------------------
def _problems(exc: BaseException, path: str) -> list[tuple[str, str]]:
    from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

    if isinstance(exc, IterableValidationError):
        found: list[tuple[str, str]] = []
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            found.extend(_problems(sub, f"{path}[{note.index}]"))
        for sub in without:
            found.extend(_problems(sub, path))
        return found
    if isinstance(exc, ClassValidationError):
        found = []
        with_notes_c, without_c = exc.group_exceptions()
        for sub, cnote in with_notes_c:
            name = cnote.name.lstrip("_")
            found.extend(_problems(sub, f"{path}.{name}" if path else name))
        for sub in without_c:
            found.extend(_problems(sub, path))
        return found
    if isinstance(exc, _Invalid):
        rest = exc.subpath
        full = (path + rest) if path or not rest.startswith(".") else rest[1:]
        return [(full, exc.message)]
    if isinstance(exc, ForbiddenExtraKeysError):
        keys = sorted(exc.extra_fields)
        allowed = ", ".join(a.alias for a in attrs.fields(exc.cl) if a.init and a.name != "location")
        where = f"{path}.{keys[0]}" if path else keys[0]
        return [(where, f"unknown key (allowed here: {allowed})")]
    if isinstance(exc, KeyError):
        return [(path, "missing required key")]
    if isinstance(exc, CompetencyError):
        where = ".".join(p for p in (path, exc.where) if p)
        return [(where, exc.message)]
    return [(path, f"invalid value ({exc})")]


@functools.cache
def _fast_path() -> Any:
    """competency._fast_structure, imported once (it imports this module; a relative import in every
    call of :func:`structure` would cost more than structuring a small table)."""
    from . import _fast_structure

    return _fast_structure


def structure(data: Any, cls: type[T], *, error: type[CompetencyError], path: str | None = None) -> T:
    """Structure ``data`` into ``cls``; bad data raises ``error`` naming the first key path at fault.

    Well-formed data is built without cattrs (:mod:`competency._fast_structure`, the same objects);
    anything else goes to the fast converter, and only when that fails is the data structured again
    with detailed validation, to find the key path — so good files pay nothing for good error messages.
    """
    fast = _fast_path()
    value = fast.structure(data, cls)
    if value is not fast.FAIL:
        return value  # type: ignore[no-any-return]
    try:
        return toml_converter(False).structure(data, cls)
    except CompetencyError as exc:
        raise error(exc.message, path=path, where=exc.where) from None
    except Exception:
        pass
    try:
        value = toml_converter(True).structure(data, cls)
    except CompetencyError as exc:
        raise error(exc.message, path=path, where=exc.where) from None
    except Exception as exc:  # cattrs groups, or a leaf error
        problems = _problems(exc, "")
        where, message = problems[0] if problems else ("", str(exc))
        if len(problems) > 1:
            message += f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
        raise error(message, path=path, where=where or None) from None
    return value


def unstructure(value: object, *, for_json: bool = False) -> Any:
    """Plain data (dicts, lists, scalars) for a model value, defaults omitted."""
    return (json_converter() if for_json else toml_converter(True)).unstructure(value)


def source_location(path: str | None, line: int | None = None, sheet: str | None = None) -> SourceLocation:
    """A :class:`SourceLocation` (kept here so readers need not import the profile module for it)."""
    return SourceLocation(path=path, line=line, sheet=sheet)
