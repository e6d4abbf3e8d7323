"""Checker configuration: ``competency.toml`` or ``[tool.competency]`` in ``pyproject.toml``.

A council keeps its moderation settings beside its profiles, so that every HR officer and every CI run
checks the same way without remembering flags. The file is found from the current folder upwards (the
first folder with a ``competency.toml``, or a ``pyproject.toml`` that has a ``[tool.competency]`` table,
wins); ``--config FILE`` names one explicitly. Command-line flags then override it (see
:meth:`LoadedConfig.with_overrides`).

Every mistake is a :class:`~competency.ConfigError` naming the file and the key path
(``pyproject.toml: tool.competency.severity.missing-rationale: unknown severity 'warn' …``), because a
typo in a config file must never silently turn a rule off. docs/configuration.md documents every key.

Only the standard library and attrs are imported at module level: this module is on the start-up path
of ``competency check``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ._errors import CompetencyError, ConfigError, UnknownFrameworkError

if TYPE_CHECKING:
    from .checking import CheckConfig

__all__ = ["CONFIG_FILE", "PYPROJECT", "LoadedConfig", "find_config", "load_config"]

#: The project's own configuration file (top-level keys).
CONFIG_FILE = "competency.toml"
#: The Python packaging file, whose ``[tool.competency]`` table is read.
PYPROJECT = "pyproject.toml"

#: Every key a configuration table may hold, and what it must be (for error messages).
KEYS: dict[str, str] = {
    "framework": "a framework id or a path to a framework TOML file",
    "select": "a list of rule ids",
    "ignore": "a list of rule ids",
    "severity": 'a table of rule-id = "error" | "warning" | "info"',
    "fail-on": '"error", "warning" or "info"',
    "plugins": "a list of plugin module names or paths to .py files",
    "rules": "a table of [rules.<rule-id>] option tables",
    "encoding": 'the name of a text encoding, e.g. "cp1252"',
}


@attrs.frozen
class LoadedConfig:
    """A :class:`~competency.CheckConfig` and where it came from.

    ``encoding`` is kept beside the check configuration because it is about *reading* CSV files, not
    about checking.
    """

    #: What to check and how.
    config: CheckConfig
    #: The file the configuration was read from, or ``None`` when no file was found.
    path: Path | None = None
    #: The table within the file: ``"tool.competency"`` for pyproject.toml, ``""`` for competency.toml.
    table: str = ""
    #: Encoding of CSV profile files (``None``: UTF-8, with or without a byte-order mark).
    encoding: str | None = None
    #: Keys the file set.
    keys: frozenset[str] = frozenset()
    #: Keys the command line set (overriding the file).
    overridden: frozenset[str] = frozenset()
    #: Rule ids whose severity the command line set.
    cli_severity: frozenset[str] = frozenset()

    @property
    def display_path(self) -> str | None:
        """The file, relative to the current folder when it is below it."""
        return _display(self.path) if self.path is not None else None

    def key_path(self, key: str) -> str:
        """``key`` as a key path in the file (``tool.competency.fail-on``)."""
        return f"{self.table}.{key}" if self.table else key

    def with_overrides(
        self,
        *,
        framework: str | None = None,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        severity: Mapping[str, str] | None = None,
        fail_on: str | None = None,
        plugins: Sequence[str] = (),
        encoding: str | None = None,
    ) -> LoadedConfig:
        """The configuration with command-line values applied.

        ``select`` and ``ignore`` replace the file's lists; ``severity`` merges into the file's table
        (the command line wins per rule); ``plugins`` are added after the file's. ``None`` means "not
        given". Errors name the flag (``--severity``).
        """
        from ._findings import Severity

        cfg = self.config
        changes: dict[str, Any] = {}
        given: set[str] = set()
        if framework is not None:
            changes["framework"] = framework
            given.add("framework")
        if select is not None:
            changes["select"] = tuple(select)
            given.add("select")
        if ignore is not None:
            changes["ignore"] = tuple(ignore)
            given.add("ignore")
        if severity:
            merged = dict(cfg.severity)
            for rule_id, level in severity.items():
                try:
                    merged[rule_id] = Severity.parse(level)
                except ValueError as exc:
                    raise ConfigError(f"{rule_id}={level}: {exc}", where="--severity") from None
            changes["severity"] = merged
            given.add("severity")
        if fail_on is not None:
            try:
                changes["fail_on"] = Severity.parse(fail_on)
            except ValueError as exc:
                raise ConfigError(str(exc), where="--fail-on") from None
            given.add("fail-on")
        if plugins:
            changes["plugins"] = (*cfg.plugins, *plugins)
        if encoding is not None:
            _check_encoding(encoding, where="--encoding", path=None)
        return attrs.evolve(
            self,
            config=attrs.evolve(cfg, **changes),
            encoding=encoding if encoding is not None else self.encoding,
            overridden=self.overridden | given,
            cli_severity=self.cli_severity | frozenset(severity or ()),
        )

    def blame(self, error: CompetencyError) -> CompetencyError:
        """``error`` (raised while building a checker) naming the flag or file and key it came from.

        The checker validates rule ids, options and the framework without knowing where they were
        written; this puts the configuration file and its key path (``tool.competency.select``), or the
        command-line flag (``--select``), in front. Other errors come back unchanged.
        """
        if isinstance(error, UnknownFrameworkError) and error.path is None and error.where is None:
            if "framework" in self.overridden:
                return type(error)(error.message, where="--framework")
            if "framework" in self.keys and self.path is not None:
                return type(error)(error.message, path=self.display_path, where=self.key_path("framework"))
            return error
        if not isinstance(error, ConfigError) or error.path is not None or not error.where:
            return error
        top, _, rest = error.where.partition(".")
        if top == "severity" and rest in self.cli_severity:
            return type(error)(error.message, where="--severity")
        if top in self.overridden and top != "severity":
            return type(error)(error.message, where=f"--{top}")
        if top in self.keys and self.path is not None:
            return type(error)(error.message, path=self.display_path, where=self.key_path(error.where))
        return error


def _display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive, on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def _read(path: Path) -> dict[str, Any]:
    from ._toml_io import read_bytes, read_toml

    return read_toml(read_bytes(path, ConfigError), _display(path), ConfigError)


def _table_of(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """The configuration table of a parsed file: top level, or ``[tool.competency]`` of pyproject.toml."""
    if path.name != PYPROJECT:
        return data
    tool = data.get("tool")
    if not isinstance(tool, dict):
        return None
    table = tool.get("competency")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError("expected a table", path=_display(path), where="tool.competency")
    return table


def find_config(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The configuration file that applies in ``start`` (default: the current folder), or ``None``.

    Looks in ``start`` and then each parent folder for ``competency.toml``, then for a ``pyproject.toml``
    with a ``[tool.competency]`` table; the first folder that has either wins.
    """
    folder = Path(start if start is not None else os.getcwd()).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return own
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and _table_of(pyproject, _read(pyproject)) is not None:
            return pyproject
    return None


def load_config(
    path: str | os.PathLike[str] | None = None, *, start: str | os.PathLike[str] | None = None
) -> LoadedConfig:
    """The checker configuration from ``path``, or the one found from ``start`` upwards.

    ``path`` may be a ``competency.toml`` (or any other TOML file with the same top-level keys) or a
    ``pyproject.toml`` (its ``[tool.competency]`` table). Without a file, the defaults
    (``CheckConfig()``). Raises :class:`~competency.ConfigError` naming the file and key path.
    """
    from .checking import CheckConfig

    if path is None:
        found = find_config(start)
        if found is None:
            return LoadedConfig(CheckConfig())
        file = found
    else:
        file = Path(path)
        if not file.is_file():
            raise ConfigError("no such configuration file", path=os.fspath(path))
    table = _table_of(file, _read(file))
    if table is None:
        raise ConfigError("has no [tool.competency] table", path=_display(file))
    prefix = "tool.competency" if file.name == PYPROJECT else ""
    return _parse(table, file.resolve(), prefix)


# -- validation -----------------------------------------------------------------------------------------
class _Reader:
    """Checks values of one configuration table, raising errors that name file and key path."""

    def __init__(self, path: Path, prefix: str) -> None:
        self.path = path
        self.shown = _display(path)
        self.prefix = prefix

    def error(self, key: str, message: str) -> ConfigError:
        where = f"{self.prefix}.{key}" if self.prefix else key
        return ConfigError(message, path=self.shown, where=where)

    def string(self, key: str, value: object) -> str:
        if not isinstance(value, str):
            raise self.error(key, f"expected {KEYS.get(key, 'a string')}, got {_show(value)}")
        return value

    def strings(self, key: str, value: object) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.error(key, f"expected {KEYS[key]}, got {_show(value)}")
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.error(f"{key}[{index}]", f"expected a non-empty string, got {_show(item)}")
        return tuple(item.strip() for item in value)

    def severity(self, key: str, value: object) -> Any:
        from ._findings import Severity

        try:
            return Severity.parse(self.string(key, value))
        except ValueError as exc:
            raise self.error(key, str(exc)) from None

    def relative(self, spec: str) -> str:
        """A path written in the file, taken relative to the file's folder; module names as they are."""
        if spec.endswith((".py", ".toml")) or "/" in spec or "\\" in spec:
            candidate = Path(spec).expanduser()
            if not candidate.is_absolute():
                candidate = self.path.parent / candidate
            return str(candidate)
        return spec


def _show(value: object) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _check_encoding(name: str, *, where: str, path: str | None) -> None:
    import codecs

    try:
        codecs.lookup(name)
    except LookupError:
        raise ConfigError(f"unknown encoding {name!r} (e.g. utf-8, cp1252)", path=path, where=where) from None


def _parse(table: Mapping[str, Any], path: Path, prefix: str) -> LoadedConfig:
    from .checking import CheckConfig

    read = _Reader(path, prefix)
    for key in table:
        if key not in KEYS:
            import difflib  # only for suggestions: kept off the start-up path

            close = difflib.get_close_matches(key, list(KEYS), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f" (allowed: {', '.join(KEYS)})"
            raise read.error(key, f"unknown key{hint}")
    values: dict[str, Any] = {}
    if "framework" in table:
        values["framework"] = read.relative(read.string("framework", table["framework"]))
    if "select" in table:
        values["select"] = read.strings("select", table["select"])
    if "ignore" in table:
        values["ignore"] = read.strings("ignore", table["ignore"])
    if "severity" in table:
        raw = table["severity"]
        if not isinstance(raw, dict):
            raise read.error("severity", f"expected {KEYS['severity']}, got {_show(raw)}")
        values["severity"] = {rule: read.severity(f"severity.{rule}", level) for rule, level in raw.items()}
    if "fail-on" in table:
        values["fail_on"] = read.severity("fail-on", table["fail-on"])
    if "plugins" in table:
        values["plugins"] = tuple(read.relative(p) for p in read.strings("plugins", table["plugins"]))
    if "rules" in table:
        rules = table["rules"]
        if not isinstance(rules, dict):
            raise read.error("rules", f"expected {KEYS['rules']}, got {_show(rules)}")
        options: dict[str, dict[str, Any]] = {}
        for rule_id, opts in rules.items():
            if not isinstance(opts, dict):
                raise read.error(f"rules.{rule_id}", f"expected a table of options, got {_show(opts)}")
            options[rule_id] = dict(opts)
        values["options"] = options
    encoding = None
    if "encoding" in table:
        encoding = read.string("encoding", table["encoding"])
        _check_encoding(encoding, where=read.error("encoding", "").where or "encoding", path=read.shown)
    return LoadedConfig(
        config=CheckConfig(**values),
        path=path,
        table=prefix,
        encoding=encoding,
        keys=frozenset(table),
    )
