"""The readers' positional builders give exactly the objects the model's own constructors give."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from competency import FrameworkRef, ProfileEntry, RoleProfile, SourceLocation, Suppression
from competency._builders import positional_builder

texts = st.text(max_size=12)
maybe_texts = st.none() | texts
locations = st.builds(SourceLocation, maybe_texts, st.none() | st.integers(1, 10**7), maybe_texts)
entries = st.builds(
    ProfileEntry,
    texts,
    maybe_texts,
    texts,
    maybe_texts,
    st.lists(st.builds(Suppression, texts, texts), max_size=2).map(tuple),
    st.none() | locations,
)
profiles = st.builds(
    RoleProfile,
    texts,
    texts,
    st.lists(entries, max_size=3).map(tuple),
    maybe_texts,
    maybe_texts,
    st.booleans(),
    maybe_texts,
    st.none() | st.builds(FrameworkRef, texts, maybe_texts),
    st.none(),
    st.just(()),
    st.dictionaries(texts, texts | st.integers(), max_size=2),
    st.none() | locations,
)


def _fields(obj: Any) -> tuple[Any, ...]:
    return tuple(getattr(obj, field.name) for field in attrs.fields(type(obj)))


@given(st.one_of(locations, entries, profiles))
def test_a_builder_gives_the_object_the_constructor_gives(made: Any) -> None:
    """Same class, every field (also those left out of equality, such as locations) the same object,
    equal and with the same hash; still frozen."""
    cls = type(made)
    built = positional_builder(cls)(*_fields(made))
    assert type(built) is cls
    assert all(a is b for a, b in zip(_fields(built), _fields(made), strict=True))
    assert built == made
    if _hashable(made):
        assert hash(built) == hash(made)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.__setattr__(attrs.fields(cls)[0].name, None)


def _hashable(obj: Any) -> bool:
    try:
        hash(obj)
    except TypeError:  # a profile's metadata is a dict
        return False
    return True


def test_a_builder_needs_every_field_in_order() -> None:
    build = positional_builder(SourceLocation)
    assert build("a.csv", 3, None) == SourceLocation("a.csv", 3)
    with pytest.raises(TypeError):
        build("a.csv", 3)


def test_classes_whose_init_does_more_get_no_builder() -> None:
    """A builder that skipped a validator, a converter or a hook would make objects the class itself
    refuses: such classes are refused when the builder is made."""

    @attrs.frozen
    class Validated:
        x: int = attrs.field(validator=attrs.validators.instance_of(int))

    @attrs.frozen
    class Converted:
        x: int = attrs.field(converter=int)

    @attrs.frozen
    class Hooked:
        x: int

        def __attrs_post_init__(self) -> None:
            pass

    @attrs.frozen(slots=False)
    class Unslotted:
        x: int

    @attrs.frozen
    class Private:
        _x: int

    for cls, why in [
        (Validated, "validator"),
        (Converted, "converter"),
        (Hooked, "__attrs_post_init__"),
        (Unslotted, "not slotted"),
        (Private, "under its name"),
    ]:
        with pytest.raises(TypeError, match=why):
            positional_builder(cls)
    with pytest.raises(attrs.exceptions.NotAnAttrsClassError):
        positional_builder(dict)


def test_the_csv_reader_builds_entries_and_locations_field_by_field_as_the_classes_do(tmp_path: Any) -> None:
    """The reader's row loop sets each field through its slot itself: every field lands where the
    class's own constructor, called by keyword, puts it."""
    from competency import load_profiles

    path = tmp_path / "two.csv"
    path.write_text(
        "role_id,role_title,managerial,type,competence,level,rationale,ignore\n"
        'R-1,Adviser,no,Core,Communication,D,"Talks to residents, daily.",copied-rationale: agreed\n',
        encoding="utf-8",
    )
    (profile,) = load_profiles(path)
    (entry,) = profile.competencies
    expected = ProfileEntry(
        competency="Communication",
        level="D",
        rationale="Talks to residents, daily.",
        type="Core",
        ignore=(Suppression(rule="copied-rationale", reason="agreed"),),
        location=SourceLocation(path=str(path), line=2, sheet=None),
    )
    assert _fields(entry) == _fields(expected)
    assert _fields(entry.location) == _fields(expected.location)
    assert type(entry) is ProfileEntry and type(entry.location) is SourceLocation
