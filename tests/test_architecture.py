"""The core, the skills and the store never depend on a chat platform."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
PLATFORM_PACKAGES = {"discord", "slack_bolt", "slack_sdk"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", ["core", "skills", "storage"])
def test_platform_neutral_packages_never_import_a_platform(package: str) -> None:
    for path in sorted((BOT / package).rglob("*.py")):
        assert not imported_modules(path) & PLATFORM_PACKAGES, path


def test_the_console_path_loads_no_platform_library() -> None:
    code = (
        "import sys, bot.app, bot.adapters.console.session, bot.cli;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{sorted(PLATFORM_PACKAGES)!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
