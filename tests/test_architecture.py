"""The layer contract holds, and each of its checks fails on a violation planted in a copy of
the code (a check that cannot fail proves nothing)."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from bot.core.skills import discover_skills
from tests.support.architecture import (
    REPO,
    broken_contracts,
    dynamic_platform_imports,
    imports_past_a_manifest,
    lint_imports,
    platform_modules_loaded,
)

LAYERS = "Layers: each imports only the layers below it"
SKILLS = "Skills never import each other"
PLATFORMS = "Nothing below the adapters imports a chat platform, even indirectly"


@pytest.fixture(scope="module")
def copy_of_bot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pristine copy of the code; tests plant into copies of this copy."""
    root = tmp_path_factory.mktemp("pristine")
    shutil.copytree(REPO / "bot", root / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / ".importlinter", root / ".importlinter")
    return root


def plant(pristine: Path, tmp_path: Path, module: str, source: str) -> Path:
    root = tmp_path / "planted"
    shutil.copytree(pristine, root)
    path = root.joinpath(*module.split(".")).with_suffix(".py")
    path.write_text(source)
    return root


def test_the_contract_holds() -> None:
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert dynamic_platform_imports() == []
    assert platform_modules_loaded() == []


@pytest.mark.parametrize(
    ("module", "source", "broken"),
    [
        pytest.param(
            "bot.core.planted", "from bot.skills.help import manifest\n", {LAYERS},
            id="core-imports-a-skill",
        ),
        pytest.param(
            "bot.core.planted", "from bot.settings import Settings\n", {LAYERS},
            id="core-imports-settings",
        ),
        pytest.param(
            "bot.storage.planted", "from bot.core.roles import Role\n", {LAYERS},
            id="storage-imports-core",
        ),
        pytest.param(
            "bot.skills.help.planted", "from bot.skills.admin import manifest\n", {SKILLS},
            id="a-skill-imports-another",
        ),
        pytest.param(
            "bot.skills.help.planted",
            "def later() -> None:\n    from bot.adapters.discord import render\n",
            {LAYERS, PLATFORMS},
            id="a-skill-imports-an-adapter-that-imports-discord",
        ),
        pytest.param(
            "bot.community.planted", "import slack_sdk\n", {PLATFORMS},
            id="community-imports-slack",
        ),
    ],
)
def test_lint_imports_fails_on_a_planted_violation(
    copy_of_bot: Path, tmp_path: Path, module: str, source: str, broken: set[str]
) -> None:
    assert lint_imports(copy_of_bot).returncode == 0
    result = lint_imports(plant(copy_of_bot, tmp_path, module, source))
    assert result.returncode != 0
    assert broken_contracts(result) == broken
    assert module in result.stdout


def test_a_dynamic_platform_import_is_caught(copy_of_bot: Path, tmp_path: Path) -> None:
    source = "import importlib\n\ndiscord = importlib.import_module('discord')\n"
    root = plant(copy_of_bot, tmp_path, "bot.skills.help.planted", source)
    assert lint_imports(root).returncode == 0  # invisible to import-linter …
    assert dynamic_platform_imports(root) == [  # … but not to these two checks
        "bot/skills/help/planted.py:3 imports discord"
    ]
    assert "discord" in platform_modules_loaded(root)


def test_a_computed_module_name_is_caught(copy_of_bot: Path, tmp_path: Path) -> None:
    source = "def load(name: str) -> object:\n    return __import__(name)\n"
    root = plant(copy_of_bot, tmp_path, "bot.core.planted", source)
    assert dynamic_platform_imports(root) == [
        "bot/core/planted.py:2 imports a computed module name"
    ]


def test_other_code_imports_only_a_skills_manifest(copy_of_bot: Path, tmp_path: Path) -> None:
    assert imports_past_a_manifest() == []
    source = "from bot.skills.resources.importer import read_file\n"
    root = plant(copy_of_bot, tmp_path, "bot.cli.planted", source)
    assert lint_imports(root).returncode == 0  # the layers allow it …
    assert imports_past_a_manifest(root) == [  # … the front-door rule does not
        "bot/cli/planted.py imports bot.skills.resources.importer.read_file"
    ]


def test_every_declared_function_is_in_its_skills_manifest() -> None:
    """A ``@command`` left out of the manifest would silently never run."""
    listed = {
        f"{fn.__module__}.{fn.__qualname__}"
        for skill in discover_skills()
        for fn in (*skill.commands, *skill.listeners, *skill.jobs)
    }
    declared: set[str] = set()
    for path in sorted((REPO / "bot" / "skills").rglob("*.py")):
        module = ".".join(path.relative_to(REPO).with_suffix("").parts)
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                if getattr(call, "id", "") in ("command", "listener", "scheduled"):
                    declared.add(f"{module}.{node.name}")
    assert declared - listed == set()
