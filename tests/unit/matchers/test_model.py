"""The screening core's value types (:mod:`matchers.model`): the faster ``__init__`` of
the frozen, slotted dataclasses keeps the generated one's parameters, defaults, stored
values, immutability, equality and hashing."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest

from matchers.model import DateSpec, DocumentKey, Person, PersonName, _slot_init

HOT_TYPES = (PersonName, DateSpec, DocumentKey, Person)


@pytest.mark.parametrize("cls", HOT_TYPES, ids=lambda c: c.__name__)
def test_parameters_are_the_fields(cls: type) -> None:
    params = list(inspect.signature(cls).parameters.values())
    fields = dataclasses.fields(cls)
    assert [p.name for p in params] == [f.name for f in fields]
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in params)
    assert [p.default for p in params] == [
        inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default for f in fields
    ]


@pytest.mark.parametrize("cls", HOT_TYPES, ids=lambda c: c.__name__)
def test_values_are_stored_frozen_equal_and_hashable(cls: type) -> None:
    fields = dataclasses.fields(cls)
    values = [f"v{i}" for i in range(len(fields))]
    by_position = cls(*values)
    by_name = cls(**{f.name: v for f, v in zip(fields, values, strict=True)})
    assert [getattr(by_position, f.name) for f in fields] == values
    assert by_position == by_name and hash(by_position) == hash(by_name)
    assert dataclasses.astuple(by_name) == tuple(values)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(by_name, fields[0].name, "other")
    changed = dataclasses.replace(by_name, **{fields[-1].name: "other"})
    assert getattr(changed, fields[-1].name) == "other" and changed != by_name
    with pytest.raises(TypeError):
        cls(*values, "one too many")


def test_defaults_and_missing_arguments() -> None:
    name = PersonName(full_name="ADAM NOWAK")
    assert (name.surname, name.given_names, name.kind) == (None, None, "primary")
    person = Person("t1", (name,))
    assert (person.dates_of_birth, person.documents, person.list_id) == ((), (), None)
    assert DateSpec(date="1970") == DateSpec("1970", None, None, False, False)
    with pytest.raises(TypeError, match="names"):
        Person("t1")  # type: ignore[call-arg]


def test_slot_init_refuses_what_it_cannot_store() -> None:
    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        a: int = 0

    @dataclasses.dataclass(frozen=True, slots=True)
    class Factory:
        a: list[Any] = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError, match="a plain field with a slot"):
        _slot_init(NoSlots)
    with pytest.raises(TypeError, match="does more than store its fields"):
        _slot_init(Factory)  # its generated __init__ calls the factory


def test_slot_init_refuses_an_init_that_does_more() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class KeywordOnly:
        a: int
        b: int = dataclasses.field(default=0, kw_only=True)

    @dataclasses.dataclass(frozen=True, slots=True)
    class WithInitVar:
        a: int
        scale: dataclasses.InitVar[int] = 1

    @dataclasses.dataclass(frozen=True, slots=True)
    class PostInit:
        a: int

        def __post_init__(self) -> None:
            pass

    for cls in (KeywordOnly, WithInitVar, PostInit):
        with pytest.raises(TypeError, match="does more than store its fields"):
            _slot_init(cls)
