"""The documentation's generated pages match the code, and the README stays short."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pydantic import BaseModel

from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_the_generated_references_are_current() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "write_references.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_setting_says_what_it_does() -> None:
    def undescribed(model: type[BaseModel], prefix: str) -> list[str]:
        missing = []
        for name, field in model.model_fields.items():
            if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
                missing += undescribed(field.annotation, f"{prefix}{name}.")
            elif not field.description:
                missing.append(prefix + name)
        return missing

    assert undescribed(Settings, "") == []


def test_the_readme_is_short_and_its_links_exist() -> None:
    readme = (ROOT / "README.md").read_text()
    assert len(readme.encode()) < 10_000
    for target in ("docs/index.md", "docs/install-discord.md", "docs/operating.md", "LICENSE"):
        assert f"]({target})" in readme
        assert (ROOT / target).is_file()
