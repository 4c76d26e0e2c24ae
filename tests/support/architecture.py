"""The layer contract's checks, runnable on any copy of the ``bot`` tree (the real one, or one
with a violation planted in it).

``lint-imports`` (import-linter, configured in ``.importlinter``) sees every ``import``
statement, including indirect chains. What it cannot see is an import by name at run time
(``importlib.import_module("discord")``), so two more checks cover that: no module below the
adapters names a chat platform in a dynamic import, and importing every module below the
adapters loads no platform library.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PLATFORM_PACKAGES = frozenset({"discord", "slack_bolt", "slack_sdk"})
BELOW_ADAPTERS = ("app", "settings", "skills", "community", "scheduling", "core", "storage")
"""The packages of ``bot`` (and modules: ``app``, ``settings``) that must stay platform-free."""
_DYNAMIC_IMPORTS = frozenset({"import_module", "__import__"})


def lint_imports(root: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run import-linter on the ``bot`` package found in ``root``."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--config", ".importlinter"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=False,
    )


def broken_contracts(result: subprocess.CompletedProcess[str]) -> set[str]:
    return {
        line.removesuffix(" BROKEN").strip()
        for line in result.stdout.splitlines()
        if line.endswith(" BROKEN")
    }


def platform_free_files(root: Path = REPO) -> list[Path]:
    bot = root / "bot"
    files: list[Path] = []
    for name in BELOW_ADAPTERS:
        package = bot / name
        files += sorted(package.rglob("*.py")) if package.is_dir() else [bot / f"{name}.py"]
    return files


def dynamic_platform_imports(root: Path = REPO) -> list[str]:
    """``import_module``/``__import__`` calls below the adapters that name a chat platform, or
    that name no module at all (a computed name could be anything)."""
    found: list[str] = []
    for path in platform_free_files(root):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in _DYNAMIC_IMPORTS or not node.args:
                continue
            first = node.args[0]
            where = f"{path.relative_to(root)}:{node.lineno}"
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                found.append(f"{where} imports a computed module name")
            elif first.value.split(".")[0] in PLATFORM_PACKAGES:
                found.append(f"{where} imports {first.value}")
    return found


def platform_modules_loaded(root: Path = REPO) -> list[str]:
    """Import every module below the adapters, and every installed skill, in a fresh process;
    returns the platform modules that came with them."""
    modules = [
        ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        for path in platform_free_files(root)
        if "migrations" not in path.parts
    ]
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "from bot.core.skills import load_registry\n"
        "load_registry()\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{sorted(PLATFORM_PACKAGES)!r})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=True,
    )
    loaded: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def imports_past_a_manifest(root: Path = REPO) -> list[str]:
    """Imports of a skill's modules from outside its package, other than its ``manifest``."""
    skills = root / "bot" / "skills"
    offenders: list[str] = []
    for path in sorted((root / "bot").rglob("*.py")):
        parts = path.relative_to(root).parts
        own = parts[2] if parts[:2] == ("bot", "skills") and len(parts) > 3 else None
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                bits = name.split(".")
                if bits[:2] != ["bot", "skills"] or len(bits) < 3 or bits[2] == own:
                    continue
                if bits[3:4] != ["manifest"] and (skills / bits[2]).is_dir():
                    offenders.append(f"{path.relative_to(root)} imports {name}")
    return offenders
