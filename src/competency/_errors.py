"""The error classes of `competency`.

Every problem with a user's input is a :class:`CompetencyError`. Its ``str()`` is one line that names the
file and the place in it (a TOML key path, a CSV row, a spreadsheet cell), so that the command line can
print it as it is and a council system can show it to the person who saved the file. No other exception
type escapes the public API for bad input.
"""

from __future__ import annotations

__all__ = [
    "CompetencyError",
    "ConfigError",
    "FrameworkError",
    "LevelError",
    "PluginError",
    "ProfileError",
    "UnknownCompetencyError",
    "UnknownFrameworkError",
    "UnknownRuleError",
]


class CompetencyError(Exception):
    """Base class: a problem with a framework, a profile set, a configuration or a plugin.

    ``path`` is the file (or ``None`` for in-memory data), ``where`` the place inside it (``None`` for the
    whole file), ``message`` what is wrong.
    """

    #: Process exit code the command line uses for this error.
    exit_code: int = 2

    def __init__(self, message: str, *, path: str | None = None, where: str | None = None) -> None:
        self.message = message
        self.path = path
        self.where = where
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [p for p in (self.path, self.where) if p]
        parts.append(self.message)
        return ": ".join(parts)

    def with_path(self, path: str) -> CompetencyError:
        """The same error, naming ``path`` as its file (for errors raised before the file was known)."""
        return type(self)(self.message, path=path, where=self.where)


class FrameworkError(CompetencyError):
    """A framework file is malformed or refers to something it does not define."""


class ProfileError(CompetencyError):
    """A profile file (TOML, CSV or spreadsheet) cannot be read as Role Competencies Profiles."""


class ConfigError(CompetencyError):
    """The checker's configuration (``competency.toml``, ``[tool.competency]``, options) is invalid."""


class PluginError(CompetencyError):
    """A rule plugin could not be loaded or registered."""


class UnknownFrameworkError(CompetencyError, LookupError):
    """No bundled framework has that id and no file has that path."""


class UnknownCompetencyError(CompetencyError, LookupError):
    """A framework has no competency of that id, name or alias."""


class UnknownRuleError(ConfigError, LookupError):
    """A rule id named in a selection, an override or an option does not exist."""


class LevelError(CompetencyError, ValueError):
    """A level that is not on the scale; the message lists the valid levels."""
