"""competency: competency frameworks, Role Competencies Profiles (RCPs), and moderation checks.

The public API is re-exported here; everything in modules whose names start with ``_`` is private.

>>> import competency
>>> fw = competency.load_framework("cdc-snc-2015")
>>> fw.competency("technical expertise").name
'Expertise and Self-Development'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._errors import (
    CompetencyError,
    ConfigError,
    FrameworkError,
    LevelError,
    PluginError,
    ProfileError,
    UnknownCompetencyError,
    UnknownFrameworkError,
    UnknownRuleError,
)
from ._framework import (
    AppliesTo,
    Cluster,
    Competency,
    Framework,
    IndicatorGroup,
    Kind,
    LevelMeaning,
    LevelRange,
    Theme,
)
from ._loading import (
    bundled_framework_ids,
    dump_framework,
    dump_profiles,
    load_framework,
    load_profiles,
)
from ._profile import FrameworkRef, ProfileEntry, Provenance, RoleProfile, SourceLocation, Suppression
from ._scale import Level, Scale

__version__ = "0.1.0"

#: Names loaded on first use, so that ``import competency`` stays fast for the command line.
_LAZY = {
    "check": "competency.checking",
    "Checker": "competency.checking",
    "CheckConfig": "competency.checking",
    "CheckResult": "competency.checking",
    "Finding": "competency.checking",
    "Severity": "competency.checking",
    "Summary": "competency.checking",
    "load_config": "competency.config",
}

__all__ = [
    "AppliesTo",
    "CheckConfig",
    "CheckResult",
    "Checker",
    "Cluster",
    "Competency",
    "CompetencyError",
    "ConfigError",
    "Finding",
    "Framework",
    "FrameworkError",
    "FrameworkRef",
    "IndicatorGroup",
    "Kind",
    "Level",
    "LevelError",
    "LevelMeaning",
    "LevelRange",
    "PluginError",
    "ProfileEntry",
    "ProfileError",
    "Provenance",
    "RoleProfile",
    "Scale",
    "Severity",
    "SourceLocation",
    "Summary",
    "Suppression",
    "Theme",
    "UnknownCompetencyError",
    "UnknownFrameworkError",
    "UnknownRuleError",
    "__version__",
    "bundled_framework_ids",
    "check",
    "dump_framework",
    "dump_profiles",
    "load_config",
    "load_framework",
    "load_profiles",
]

if TYPE_CHECKING:
    from .checking import CheckConfig, Checker, CheckResult, Finding, Severity, Summary, check
    from .config import load_config


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'competency' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
