"""The API reference (docs/api.md) and the packages' public names (`__all__`) agree."""

from __future__ import annotations

import re
from pathlib import Path

import competency
import competency_rules

API = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
DIRECTIVE = re.compile(r"^\.\. auto(?:class|function|data|exception):: (competency(?:_rules)?)\.(\w+)$", re.M)
MODULE = re.compile(r"^\.\. automodule:: ([\w.]+)$", re.M)


def documented(package: str) -> set[str]:
    return {name for pkg, name in DIRECTIVE.findall(API) if pkg == package}


def test_every_public_name_of_competency_is_documented_and_nothing_else() -> None:
    assert documented("competency") == set(competency.__all__) - {"__version__"}


def test_every_public_name_of_competency_rules_is_documented() -> None:
    shared = {"Finding", "Severity"}  # the same objects as competency.Finding / competency.Severity
    assert documented("competency_rules") == set(competency_rules.__all__) - shared
    assert all(getattr(competency_rules, n) is getattr(competency, n) for n in shared)


def test_every_public_name_resolves() -> None:
    for name in competency.__all__:
        assert getattr(competency, name) is not None


def test_documented_modules_import_and_declare_their_api() -> None:
    import importlib

    modules = MODULE.findall(API)
    assert "competency.checking" in modules and "competency_rules.testing" in modules
    for name in modules:
        module = importlib.import_module(name)
        assert module.__doc__, f"{name} has no module docstring"
