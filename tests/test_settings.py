from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import load_settings
from bot.storage.errors import SettingsError


def test_defaults() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///staffroom.db"
    assert settings.auto_upgrade is True


def test_file_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "staffroom.toml").write_text('log_level = "debug"\nevent_id_retention_hours = 5\n')
    assert load_settings().log_level == "DEBUG"
    monkeypatch.setenv("STAFFROOM_EVENT_ID_RETENTION_HOURS", "9")
    assert load_settings().event_id_retention_hours == 9


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "STAFFROOM_DATABASE_URL",
            "mysql://x",
            "Setting database_url (STAFFROOM_DATABASE_URL) is invalid: use sqlite+aiosqlite://",
        ),
        (
            "STAFFROOM_LOG_LEVEL",
            "LOUD",
            "Setting log_level (STAFFROOM_LOG_LEVEL) is invalid: Input should be 'DEBUG'",
        ),
        (
            "STAFFROOM_EVENT_ID_RETENTION_HOURS",
            "0",
            "Setting event_id_retention_hours (STAFFROOM_EVENT_ID_RETENTION_HOURS) is invalid",
        ),
        ("STAFFROOM_CONFIG", "/nowhere.toml", "STAFFROOM_CONFIG points to /nowhere.toml"),
    ],
)
def test_a_wrong_setting_is_one_sentence_naming_it(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_unknown_and_malformed_files(tmp_path: Path) -> None:
    (tmp_path / "staffroom.toml").write_text("colour = 'blue'\n")
    with pytest.raises(SettingsError, match=r"Setting colour .* is not a Staffroom setting"):
        load_settings()
    (tmp_path / "staffroom.toml").write_text("log_level = \n")
    with pytest.raises(SettingsError, match=r"staffroom\.toml is not valid TOML"):
        load_settings()


def test_the_example_file_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    example = Path(__file__).resolve().parent.parent / "bot" / "cli" / "staffroom.example.toml"
    monkeypatch.setenv("STAFFROOM_CONFIG", str(example))
    load_settings()
