"""Finding and loading rule plugins, in the order tox and sqlfluff settled on.

1. built-in rules (``competency_rules.builtin``, registered as an ordinary plugin);
2. installed packages, through the entry-point group ``competency.rules`` — each loaded in its own
   ``try`` so one broken package does not stop the rest (its failure is reported and the check is
   marked incomplete);
3. local plugins named on the command line or in configuration (a module name or a ``.py`` path) — a
   failure here is the user's own request going wrong, so it is an error (exit 2).

Then ``check_pending()`` rejects implementations of hooks that do not exist (a typo in a hook name).
Each checker builds its own plugin manager: nothing here is global.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import attrs
import pluggy

from competency._errors import PluginError

from . import hookspecs
from ._api import Rule

if TYPE_CHECKING:
    from importlib import metadata

__all__ = ["ENTRY_POINT_GROUP", "LoadedRules", "load_rules"]

#: Entry-point group installed packages use to contribute rule plugins.
ENTRY_POINT_GROUP = "competency.rules"


@attrs.frozen
class LoadedRules:
    """The rules available to one checker, and the plugins that failed to load."""

    rules: dict[str, Rule]
    #: ``(plugin name, one-line reason)`` for installed plugins that could not be loaded.
    failures: tuple[tuple[str, str], ...] = ()


def _load_local(spec: str) -> ModuleType:
    """A local plugin: a path to a ``.py`` file, or an importable module name."""
    if spec.endswith(".py") or "/" in spec or "\\" in spec:
        path = Path(spec)
        if not path.is_file():
            raise PluginError("no such plugin file", path=spec)
        name = f"competency_local_plugin_{abs(hash(path.resolve()))}"
        module_spec = importlib.util.spec_from_file_location(name, path)
        if module_spec is None or module_spec.loader is None:
            raise PluginError("cannot load as a Python module", path=spec)
        module = importlib.util.module_from_spec(module_spec)
        try:
            module_spec.loader.exec_module(module)
        except Exception as exc:
            raise PluginError(f"plugin raised {type(exc).__name__} while loading: {exc}", path=spec) from None
        return module
    try:
        return importlib.import_module(spec)
    except ImportError as exc:
        raise PluginError(f"cannot import plugin module {spec!r}: {exc}") from None
    except Exception as exc:
        raise PluginError(
            f"plugin module {spec!r} raised {type(exc).__name__} while loading: {exc}"
        ) from None


def _spec_key(spec: str) -> str:
    """One key per plugin however it is spelled: a file by its resolved path, a module by its name."""
    if spec.endswith(".py") or "/" in spec or "\\" in spec:
        return str(Path(spec).resolve())
    return spec


def load_rules(
    local_plugins: Iterable[str | object] = (),
    *,
    entry_points: bool = True,
    builtins: bool = True,
) -> LoadedRules:
    """Build a plugin manager, register every plugin, and collect their rules by id."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    sources: dict[object, str] = {}
    failures: list[tuple[str, str]] = []
    if builtins:
        from . import builtin

        pm.register(builtin, name="competency-builtin")
        sources[builtin] = "built-in"
    if entry_points:
        for ep in _entry_points():
            dist = ep.dist.name if ep.dist is not None else ep.value
            try:
                plugin = ep.load()
                if pm.is_registered(plugin):
                    continue
                pm.register(plugin, name=f"{ENTRY_POINT_GROUP}:{ep.name}")
            except Exception as exc:
                failures.append((dist, f"{type(exc).__name__}: {exc}"))
                continue
            sources[plugin] = dist
    seen_specs: set[str] = set()
    for spec in local_plugins:
        if isinstance(spec, str):
            key = _spec_key(spec)
            if key in seen_specs:
                continue  # named twice (config and --plugin): load it once
            seen_specs.add(key)
        plugin = _load_local(spec) if isinstance(spec, str) else spec
        if pm.is_registered(plugin):
            continue
        try:
            pm.register(plugin, name=_spec_key(spec) if isinstance(spec, str) else None)
        except (pluggy.PluginValidationError, ValueError) as exc:
            raise PluginError(f"plugin {spec!r} is not valid: {exc}") from None
        sources[plugin] = (
            f"local: {spec}" if isinstance(spec, str) else f"local: {getattr(spec, '__name__', spec)!s}"
        )
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"{exc} (known hooks: competency_register_rules)") from None
    rules: dict[str, Rule] = {}
    origin: dict[str, str] = {}
    for impl in pm.hook.competency_register_rules.get_hookimpls():
        source = sources.get(impl.plugin, impl.plugin_name)
        try:
            contributed = impl.function()
        except Exception as exc:
            if source == "built-in" or source.startswith("local:"):
                raise PluginError(f"plugin {source!r} failed to register its rules: {exc}") from None
            failures.append((source, f"{type(exc).__name__} while registering rules: {exc}"))
            continue
        for rule in _as_rules(contributed, source):
            if rule.source == "built-in" and source != "built-in":
                rule = attrs.evolve(rule, source=source)
            if rule.id in rules:
                raise PluginError(
                    f"rule id {rule.id!r} is registered twice: by {origin[rule.id]!r} and by {source!r}"
                )
            rules[rule.id] = rule
            origin[rule.id] = source
    return LoadedRules(rules=rules, failures=tuple(failures))


def _as_rules(contributed: Any, source: str) -> list[Rule]:
    if contributed is None:
        return []
    items = [contributed] if isinstance(contributed, Rule) else list(contributed)
    for item in items:
        if not isinstance(item, Rule):
            raise PluginError(
                f"plugin {source!r} returned {item!r} from competency_register_rules; "
                "expected rules made with @profile_rule or @set_rule"
            )
    return items


def _entry_points() -> list[metadata.EntryPoint]:
    if not _may_declare(ENTRY_POINT_GROUP):
        return []
    from importlib import metadata

    return list(metadata.entry_points(group=ENTRY_POINT_GROUP))


def _may_declare(group: str) -> bool:
    """Whether any installed distribution may declare entry points in ``group``.

    importlib.metadata (and the email package it imports) costs a sixth of a one-role check's start-up,
    and most installations have no rule plugin at all. This looks where importlib.metadata would look —
    the ``*.dist-info`` and ``*.egg-info`` folders on ``sys.path`` — for an ``entry_points.txt`` that
    mentions ``group``; anything it cannot see through (a zip or egg on the path, an unreadable folder,
    a custom distribution finder) counts as "may", and then importlib.metadata decides.
    """
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if finder is not PathFinder and hasattr(finder, "find_distributions"):
            return True
    needle = group.encode()
    for entry in sys.path:
        folder = entry or "."
        if not os.path.isdir(folder):
            if os.path.exists(folder):
                return True  # a zip file or egg: importlib.metadata reads inside it
            continue
        if folder.lower().endswith(".egg"):
            return True
        try:
            with os.scandir(folder) as children:
                names = [c.name for c in children if c.name.lower().endswith((".dist-info", ".egg-info"))]
        except OSError:
            return True
        for name in names:
            path = os.path.join(folder, name, "entry_points.txt")
            try:
                with open(path, "rb") as handle:
                    if needle in handle.read():
                        return True
            except (FileNotFoundError, NotADirectoryError):
                continue  # no entry points (an .egg-info file holds metadata only)
            except OSError:
                return True
    return False
