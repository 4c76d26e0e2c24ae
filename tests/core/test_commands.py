from __future__ import annotations

import pytest

from bot.core.commands import (
    Command,
    CommandSpec,
    DuplicateCommandError,
    Filter,
    Param,
    ParamKind,
    Registry,
    command,
)
from bot.core.roles import Role
from bot.core.skills import load_registry


async def _noop(ctx: object, args: object) -> None:
    return None


def test_duplicate_command_names_fail_loudly() -> None:
    spec = CommandSpec(name="intro", summary="x")
    with pytest.raises(DuplicateCommandError, match="'intro' is declared by both a and b"):
        Registry(
            [
                Command(spec=spec, handler=_noop, skill="a"),
                Command(spec=spec, handler=_noop, skill="b"),
            ]
        )


def test_declarations_are_checked() -> None:
    with pytest.raises(ValueError, match="TEXT parameter must be the last"):
        command("x", summary="x", params=[Param(name="a", kind=ParamKind.TEXT), Param(name="b")])
    with pytest.raises(ValueError, match="needs choices"):
        command("x", summary="x", params=[Param(name="a", kind=ParamKind.CHOICE)])
    with pytest.raises(ValueError, match="share a name"):
        command("x", summary="x", params=[Param(name="a")], filters=[Filter(key="a")])


def test_decorator_only_attaches_metadata() -> None:
    decorated = command("demo thing", summary="s")(_noop)
    assert decorated is _noop


def test_usage_is_generated_from_the_declaration() -> None:
    spec = CommandSpec(
        name="resource share",
        summary="s",
        params=(
            Param(name="url", kind=ParamKind.URL),
            Param(name="title", kind=ParamKind.QUOTED, required=False),
            Param(name="description", kind=ParamKind.TEXT, required=False),
        ),
        filters=(Filter(key="subject"),),
        tags=True,
    )
    assert spec.usage() == 'resource share <url> ["title"] [subject:…] [#tag …] [description]'


def test_the_real_registry_loads_and_suggests() -> None:
    registry = load_registry()
    assert registry.get("intro set") is not None
    assert registry.suggest(["hlep"], Role.MEMBER) == ["help"]
    assert "intro set" in registry.suggest(["intro", "sett"], Role.MEMBER)
    assert "people find" in registry.suggest(["peple", "find"], Role.MEMBER)
    # Commands above the actor's role are never suggested.
    assert all(
        not s.startswith("admin") for s in registry.suggest(["admin", "chanel"], Role.MEMBER)
    )
    assert "admin channel" in registry.suggest(["admin", "chanel"], Role.ADMIN)


def test_longest_command_name_wins() -> None:
    registry = load_registry()
    found = registry.match(["intro", "set", "tz", "Lisbon"])
    assert found is not None
    assert found[0].name == "intro set"
    assert found[1] == 2


def test_a_skill_package_may_declare_commands_in_several_modules() -> None:
    skills = load_registry().skills()
    assert "admin stats" in [cmd.name for cmd in skills["admin"]]
    assert "admin block" in [cmd.name for cmd in skills["admin"]]
    assert not any("." in name for name in skills)
