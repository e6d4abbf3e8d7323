"""Structuring well-formed file data into the model without cattrs: the common case, made cheap.

The cattrs converter (:mod:`competency._converter`) is the authority on what a file means and says
exactly where a file is wrong. It also costs: importing cattrs and generating its hooks takes longer
than checking a one-role file, and a folder of 10⁴ profile files pays its per-call overhead 10⁴ times.

This module builds the *same* objects for data that is exactly as the documented format says — every
key known, every value of the expected type — by reading each class's attrs fields and resolved types
once. It uses the converter's own leaf hooks, and it answers :data:`FAIL` for anything else: an
unknown key, a missing required key, a wrong type, a type form it does not know, or a model that
refuses the value. :func:`competency._converter.structure` then structures the data with cattrs as
before, so every error message stays the converter's. tests/test_optimisation_equivalence.py checks
that both paths build equal objects.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable, Mapping
from typing import Any, Literal, Union, get_args, get_origin

import attrs

from . import _converter as conv
from ._profile import ProfileEntry
from ._scale import Scale

__all__ = ["FAIL", "structure"]


class _Fail(Exception):
    """Raised inside a plan: this data needs the converter."""


#: Returned by :func:`structure` when the data must go through the cattrs converter.
FAIL: Any = object()

_Hook = Callable[[Any], Any]
#: Per class: the function that builds it from a table, or ``None`` for a class not handled here.
_builders: dict[type, _Hook | None] = {}


def structure(data: Any, cls: type) -> Any:
    """``cls`` built from ``data``, or :data:`FAIL` when the converter must do it."""
    try:
        return _structure_class(cls)(data)
    except Exception:  # any surprise at all: the converter decides, and words the error
        return FAIL


def _leaf(hook: Callable[[Any, Any], Any]) -> _Hook:
    def run(value: Any) -> Any:
        return hook(value, None)

    return run


_LEAVES: dict[Any, _Hook] = {
    str: _leaf(conv._str),
    bool: _leaf(conv._bool),
    int: _leaf(conv._int),
    dt.date: _leaf(conv._date),
    tuple[str, ...]: _leaf(conv._str_tuple),
    Mapping[str, tuple[str, ...]]: _leaf(conv._indicator_table),
    Mapping[str, str]: _leaf(conv._str_table),
    Mapping[str, str | int | float | bool]: _leaf(conv._metadata),
    Scale: _leaf(conv._structure_scale),
}


def _structure_class(cls: type) -> _Hook:
    if cls not in _builders:
        _builders[cls] = None  # while building: a class that contains itself is left to the converter
        _builders[cls] = _builder(cls)
    build = _builders[cls]
    if build is None:
        raise _Fail(cls)
    return build


def _builder(cls: type) -> _Hook | None:
    plan = _plan(cls)
    if plan is None:
        return None
    hooks, required = plan

    def build(value: Any) -> Any:
        if type(value) is not dict:
            raise _Fail("not a table")
        kwargs = {}
        for key, item in value.items():
            kwargs[key] = hooks[key](item)  # KeyError: an unknown key
        if not required.issubset(kwargs):
            raise _Fail("missing key")
        return cls(**kwargs)

    return build


def _plan(cls: type) -> tuple[dict[str, _Hook], frozenset[str]] | None:
    if cls not in conv.FILE_CLASSES:
        return None
    attrs.resolve_types(cls)
    hooks: dict[str, _Hook] = {}
    required = set()
    for field in attrs.fields(cls):
        if not field.init or field.name == "location":
            continue  # omitted by the converter too: the key is refused
        if field.alias != field.name:
            return None
        if cls is ProfileEntry and field.name == "level":
            hook: _Hook | None = _leaf(conv._level_text)
        else:
            hook = _hook_for(field.type)
        if hook is None:
            return None
        hooks[field.name] = hook
        if field.default is attrs.NOTHING:
            required.add(field.name)
    return hooks, frozenset(required)


def _hook_for(tp: Any) -> _Hook | None:
    leaf = _LEAVES.get(tp)
    if leaf is not None:
        return leaf
    origin = get_origin(tp)
    args = get_args(tp)
    if origin is Literal:
        allowed = args

        def literal(value: Any) -> Any:
            if isinstance(value, bool) or value not in allowed:
                raise _Fail("not allowed")
            return value

        return literal
    if origin in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
        inner = _hook_for(args[0] if args[1] is type(None) else args[1])
        if inner is None:
            return None
        present = inner

        def optional(value: Any) -> Any:
            return None if value is None else present(value)

        return optional
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _hook_for(args[0])
        if item is None:
            return None
        each = item

        def sequence(value: Any) -> Any:
            if type(value) is not list and type(value) is not tuple:
                raise _Fail("not a list")
            return tuple([each(v) for v in value])

        return sequence
    if isinstance(tp, type) and attrs.has(tp) and tp in conv.FILE_CLASSES:
        nested = tp

        def table(value: Any) -> Any:
            return _structure_class(nested)(value)

        return table
    return None
