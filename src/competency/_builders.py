"""Positional constructors for the model's frozen attrs classes, for readers that build 10⁶ objects.

attrs' ``__init__`` for a frozen slotted class sets each field through ``object.__setattr__`` (the
class's own ``__setattr__`` refuses). A CSV file of 10⁵ RCPs holds 10⁶ rows, each an entry and its
source location: building them that way was a fifth of reading the file. :func:`positional_builder`
makes a function that takes every field in order and stores each through the slot's own descriptor,
which gives an object equal in every field and of the same class, about a third faster; the reader's
row loop, its hottest path, calls :func:`slot_setters`' setters itself, saving the call of a builder.

It is only made for a class whose ``__init__`` does nothing else: slotted, no validators, converters,
``on_setattr`` hooks, ``__attrs_pre_init__`` or ``__attrs_post_init__``, every field taken by
``__init__`` under its own name. Anything else is refused when the builder is made, never at a call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs

__all__ = ["positional_builder", "slot_setters"]

T = TypeVar("T")


def slot_setters(cls: type[Any]) -> tuple[Callable[[Any, Any], None], ...]:
    """The setter of each field's slot, in field order, for code that builds ``object.__new__(cls)``
    and sets every field itself (refused, with the reasons, for a class whose ``__init__`` does more)."""
    fields = attrs.fields(cls)
    problems = []
    if "__slots__" not in cls.__dict__:
        problems.append("not slotted")
    for hook in ("__attrs_pre_init__", "__attrs_post_init__"):
        if hasattr(cls, hook):
            problems.append(f"has {hook}")
    for field in fields:
        if not field.init or field.alias != field.name:
            problems.append(f"field {field.name!r} is not taken by __init__ under its name")
        if field.validator is not None or field.converter is not None or field.on_setattr is not None:
            problems.append(f"field {field.name!r} has a validator, converter or on_setattr hook")
        if not hasattr(cls.__dict__.get(field.name), "__set__"):
            problems.append(f"field {field.name!r} has no slot of its own")
    if problems:
        raise TypeError(f"no positional builder for {cls.__qualname__}: {'; '.join(problems)}")
    return tuple(cls.__dict__[field.name].__set__ for field in fields)


def positional_builder(cls: type[T]) -> Callable[..., T]:
    """``build(*values)``, equal to ``cls(*values)`` with every field given, in field order."""
    setters = slot_setters(cls)
    names = [f"v{pos}" for pos in range(len(setters))]
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    lines = [f"def build({', '.join(names)}):", "    obj = new(cls)"]
    for pos, setter in enumerate(setters):
        namespace[f"set{pos}"] = setter
        lines.append(f"    set{pos}(obj, v{pos})")
    lines.append("    return obj")
    exec("\n".join(lines), namespace)  # the source is built above from field positions only
    build: Callable[..., T] = namespace["build"]
    build.__qualname__ = build.__name__ = f"build_{cls.__name__}"
    build.__doc__ = f"A {cls.__qualname__} from all its fields, in order (see competency._builders)."
    return build
