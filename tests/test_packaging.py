"""What a new operator gets: the built wheel in a fresh venv, declared dependencies, the locks
and the Dockerfile."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _run(argv: list[str | Path], cwd: Path, stdin: str = "") -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("STAFFROOM_")}
    done = subprocess.run(
        argv, input=stdin, capture_output=True, text=True, cwd=cwd, env=environment, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_wheel_runs_in_a_fresh_venv_outside_the_repository(tmp_path: Path) -> None:
    # Build from a clean copy of the sources, so nothing left in the checkout slips in.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source)
    shutil.copytree(ROOT / "bot", source / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check"]
    _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", wheels, source], tmp_path)
    (wheel,) = wheels.glob("staffroom-*.whl")

    # A venv of its own; its dependencies (already installed here) are reached through a .pth
    # line, which adds the directory without running this checkout's editable-install hook.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    _run([*pip, "--python", python, "install", "--no-deps", "--no-index", wheel], tmp_path)
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = _run([python, "-c", purelib], tmp_path)
    Path(site.strip(), "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    staffroom = python.with_name("staffroom.exe" if sys.platform == "win32" else "staffroom")

    home = tmp_path / "operator"
    home.mkdir()
    assert "Wrote staffroom.toml" in _run([staffroom, "init"], home)
    transcript = _run([staffroom, "chat", "--as", "ana"], home, "help\nwhois me\n")
    assert "== What I can do for you (member) ==" in transcript
    assert "You haven't introduced yourself yet." in transcript
    assert "oauth_config:" in _run([staffroom, "slack", "manifest"], home)
    where = _run([python, "-c", "import bot; print(bot.__file__)"], home)
    assert Path(where.strip()).is_relative_to(venv)


def _imported_distributions() -> set[str]:
    modules: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    third_party = modules - set(sys.stdlib_module_names) - {"bot"}
    owners = packages_distributions()
    return {canonicalize_name(owners[module][0]) for module in third_party}


def test_every_imported_library_is_a_declared_dependency() -> None:
    declared = {canonicalize_name(Requirement(r).name) for r in PROJECT["dependencies"]}
    assert _imported_distributions() - declared == set()


def _locked(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / lock).read_text()
    pins = re.findall(r"^([A-Za-z0-9._-]+)==([^\s;]+)", text, re.MULTILINE)
    assert pins
    # Every pin carries its hashes (pip install --require-hashes checks them).
    assert text.count("==") == len(re.findall(r"==[^\n]*\\\n\s+--hash=sha256:", text))
    return {canonicalize_name(name): version for name, version in pins}


def test_the_locks_satisfy_the_declared_ranges() -> None:
    runtime, dev = _locked("runtime.txt"), _locked("dev.txt")
    extras = PROJECT["optional-dependencies"]
    for lock, requirements in (
        (runtime, PROJECT["dependencies"] + extras["postgres"]),
        (dev, PROJECT["dependencies"] + extras["postgres"] + extras["test"] + extras["docs"]),
    ):
        for line in requirements:
            requirement = Requirement(line)
            name = canonicalize_name(requirement.name)
            if name == "staffroom":
                continue
            assert name in lock, f"{name} is not locked: run make lock"
            assert requirement.specifier.contains(lock[name]), f"{name}: run make lock"
    # The runtime lock is what the image installs: no test or docs tools in it.
    assert {"pytest", "mypy", "mkdocs"}.isdisjoint(runtime)
    assert all(dev.get(name) == version for name, version in runtime.items())


def test_the_dockerfile_installs_dependencies_before_copying_the_code() -> None:
    steps = [
        line.split(maxsplit=1)
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line and not line.startswith((" ", "#"))
    ]
    instructions = [(word, rest) for word, rest in steps if word in {"COPY", "RUN"}]
    installs_locked = next(
        i
        for i, (word, rest) in enumerate(instructions)
        if word == "RUN" and "--require-hashes" in rest
    )
    copies_code = next(
        i for i, (word, rest) in enumerate(instructions) if word == "COPY" and "bot" in rest
    )
    assert installs_locked < copies_code
    assert all("bot" not in rest for word, rest in instructions[:installs_locked])
    assert "postgresql-client" in (ROOT / "Dockerfile").read_text()
