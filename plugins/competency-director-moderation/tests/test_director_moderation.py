"""Tests of the director-external-moderation rule, through competency_rules.testing.run_rule.

run_rule runs the rule through a real checker (option checking, severity overrides, suppressions), so
these tests see what `competency check` would report. Run them with `pytest` from this folder after
`pip install -e .` (or from the main repository, which runs them too).
"""

from __future__ import annotations

from typing import Any

import pytest
from competency_director_moderation import RULE_ID, is_director_role, rule

from competency import ConfigError, Provenance, RoleProfile, Severity
from competency_rules.testing import make_profile, run_rule

FRAMEWORK = "cdc-snc-2015"

EXTERNAL = Provenance(status="moderated", profiled_by="R. Adeyemi", moderated_by="external")
PANEL = Provenance(status="moderated", profiled_by="A. Hughes", moderated_by="panel")
DRAFT = Provenance(status="draft", profiled_by="Chief Executive")


def role(title: str, provenance: Provenance | None, **kwargs: Any) -> RoleProfile:
    return make_profile({"Communication": "G"}, id="R1", title=title, provenance=provenance, **kwargs)


def findings(*profiles: RoleProfile, **options: Any) -> list[tuple[str | None, Severity]]:
    found = run_rule(rule, profiles, FRAMEWORK, options=options or None)
    assert all(f.rule == RULE_ID for f in found)
    return [(f.role, f.severity) for f in found]


@pytest.mark.parametrize(
    "title",
    ["Chief Executive", "Director of Resources", "director of place and growth", "Strategic Director",
     "Deputy Chief Executive", "Assistant Director – Housing", "Executive  Director"],
)  # fmt: skip
def test_director_titles_moderated_by_the_panel_are_errors(title: str) -> None:
    assert findings(role(title, PANEL)) == [("R1", Severity.ERROR)]


@pytest.mark.parametrize(
    "title",
    ["PA to the Chief Executive", "Assistant to the Director", "Support Officer for the Directors",
     "Chief Executive's Office Manager", "Directorate Support Officer", "Planning Officer",
     "Head of the Director's Office"],
)  # fmt: skip
def test_roles_that_support_a_director_are_not_in_scope(title: str) -> None:
    assert findings(role(title, PANEL)) == []


def test_external_moderation_passes() -> None:
    assert findings(role("Director of Resources", EXTERNAL)) == []


def test_a_draft_not_yet_moderated_is_a_warning() -> None:
    assert findings(role("Director of Place and Growth", DRAFT)) == [("R1", Severity.WARNING)]


def test_a_draft_already_sent_to_the_panel_is_an_error() -> None:
    draft_to_panel = Provenance(status="draft", moderated_by="panel")
    assert findings(role("Director of Place and Growth", draft_to_panel)) == [("R1", Severity.ERROR)]


@pytest.mark.parametrize(
    "provenance", [None, Provenance(status="published"), Provenance(moderated_by="hr-review")]
)
def test_no_recorded_external_moderation_outside_a_draft_is_an_error(provenance: Provenance | None) -> None:
    assert findings(role("Chief Executive", provenance)) == [("R1", Severity.ERROR)]


def test_the_message_names_the_role_the_route_and_the_policy() -> None:
    (finding,) = run_rule(rule, [role("Director of Resources", PANEL)], FRAMEWORK)
    assert "'Director of Resources' (R1)" in finding.message
    assert "internal panel" in finding.message
    assert "§2.4" in finding.message
    assert finding.competency is None


def test_metadata_flag_overrides_the_title() -> None:
    monitoring_officer = role("Head of Law and Governance", PANEL, metadata={"external_moderation": "yes"})
    interim = role("Interim Director of Housing", PANEL, metadata={"external_moderation": False})
    assert findings(monitoring_officer, interim) == [("R1", Severity.ERROR)]
    assert findings(role("Head of Law", PANEL, metadata={"moderation_route": "external"}),
                    metadata_key="moderation_route") == [("R1", Severity.ERROR)]  # fmt: skip


def test_title_and_exclude_patterns_are_options() -> None:
    assistant = role("Assistant Director – Finance", PANEL)
    assert findings(assistant, exclude_patterns=["assistant director"]) == []
    head = role("Head of Paid Service", PANEL)
    assert findings(head) == []
    assert findings(head, title_patterns=["head of paid service"]) == [("R1", Severity.ERROR)]


def test_a_bad_option_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="title_patterns"):
        run_rule(rule, [role("Chief Executive", PANEL)], FRAMEWORK, options={"title_patterns": "director"})


def test_severity_can_be_overridden() -> None:
    found = run_rule(rule, [role("Chief Executive", PANEL)], FRAMEWORK, severity="warning")
    assert [f.severity for f in found] == [Severity.WARNING]


def test_a_suppression_with_the_panels_reason_hides_it() -> None:
    agreed = role("Director of Resources", PANEL, ignore={RULE_ID: "Interim post; external review booked"})
    assert findings(agreed) == []


def test_is_director_role_is_usable_on_its_own() -> None:
    assert is_director_role(role("Chief Executive", None))
    assert not is_director_role(role("PA to the Chief Executive", None))
