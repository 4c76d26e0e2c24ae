from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.app import App
from bot.skills.resources.importer import (
    ImportFileError,
    ImportReport,
    RowNote,
    SkippedRow,
    import_rows,
    read_csv,
    read_file,
    read_json,
)
from tests.conftest import START
from tests.skills.resources.test_find import ids_in
from tests.support.console import Chat
from tests.test_cli import staffroom

CSV = """url,title,type,subject,grades,tags,notes
https://example.org/a,Fractions with pizza,lesson plan,maths,3-5,"fractions, food",x
https://example.org/b,,video,science,6-8,#cells #labs,
ftp://example.org/c,Not the web,,,,,
https://example.org/a/,The same page again,,,,,
https://example.org/d,Bad grade,,,grade zero,,
,No link at all,,,,,
https://example.org/e,Unknown type,worksheet,,,fractions,
https://example.org/shared,Already here,,,,,
https://example.org/gone,Removed,,,,,
https://example.org/f,A game,game,,,,
"""


async def test_importing_rows_reports_what_was_skipped_and_why(chat: Chat, app: App) -> None:
    await chat("/as mo moderator", 'resource share https://example.org/shared "Shared in chat"')
    await chat('resource share https://example.org/gone "Gone"', "resource remove 2 broken")
    rows, ignored = read_csv(CSV)
    async with app.store.transaction() as session:
        report = await import_rows(session, 1, rows, ignored_columns=ignored, now=START)
    assert report.imported == 4
    assert report.ignored_columns == ("notes",)
    assert [(s.where, s.reason.split(":")[0]) for s in report.skipped] == [
        ("line 4", "url"),
        ("line 5", "the same link as line 2"),
        ("line 6", "grades"),
        ("line 7", "no url"),
        ("line 9", "already in the library as #1"),
        ("line 10", "removed by a moderator (#2), so not added again"),
    ]
    assert [(n.where, n.text) for n in report.notes] == [
        (
            "line 8",
            "the type `worksheet` is not one of lesson-plan, article, video, tool, course, "
            "other; kept as other, tagged #worksheet",
        ),
        (
            "line 11",
            "the type `game` is not one of lesson-plan, article, video, tool, course, "
            "other; kept as other, tagged #game",
        ),
    ]
    out = await chat("resource recent")
    assert ids_in(out) == [6, 5, 4, 3, 1]
    assert "#3 Fractions with pizza — https://example.org/a" in out
    assert "lesson plan · math · grades 3–5 · not rated yet · imported" in out
    assert "#4 https://example.org/b — https://example.org/b" in out  # no title: the link
    assert ids_in(await chat("resource find #cells")) == [4]
    assert ids_in(await chat("resource find #worksheet #fractions type:other")) == [5]
    assert "from an imported list" in await chat(
        "/as bea", 'resource share https://example.org/a "Pizza"'
    )


def test_the_report_reads_the_same_everywhere() -> None:
    report = ImportReport(
        imported=1,
        skipped=(SkippedRow(where="line 3", reason="no url"),),
        ignored_columns=("notes",),
        notes=(RowNote(where="line 2", text="kept as other"),),
    )
    assert report.lines(into="this community") == [
        "Imported 1 resource into this community.",
        "Ignored columns: notes.",
        "Kept with a change (1):",
        "  line 2: kept as other",
        "Skipped 1 row:",
        "  line 3: no url",
    ]


def test_reading_json() -> None:
    rows, ignored = read_json(
        json.dumps(
            {
                "resources": [
                    {"link": "https://example.org/a", "tags": ["x", "y"], "grade": 7, "extra": 1},
                    "not an object",
                    {"url": "https://example.org/b", "title": None},
                ]
            }
        )
    )
    assert [r.where for r in rows] == ["item 1", "item 2", "item 3"]
    assert rows[0].values == {
        "url": "https://example.org/a",
        "tags": "x y",
        "grades": "7",
        "extra": "1",
    }
    assert rows[2].values == {"url": "https://example.org/b", "title": ""}
    assert ignored == {"extra"}


def test_unreadable_files_are_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "list.txt").write_text("url\n")
    (tmp_path / "bad.json").write_text("{nope")
    (tmp_path / "obj.json").write_text('{"a": 1}')
    (tmp_path / "empty.csv").write_text("")
    cases = {
        "list.txt": "can't tell the format of list.txt",
        "bad.json": "is not valid JSON",
        "obj.json": "must be a list of objects",
        "empty.csv": "has no header row",
        "missing.csv": "can't read",
    }
    for name, message in cases.items():
        with pytest.raises(ImportFileError, match=message):
            read_file(tmp_path / name)


def test_the_import_command(tmp_path: Path) -> None:
    (tmp_path / "list.json").write_text(
        json.dumps(
            [
                {"url": "https://example.org/a", "title": "Fractions with pizza", "tags": "food"},
                {"url": "mailto:someone@example.org", "title": "Not a page"},
            ]
        )
    )
    result = staffroom(["resources", "import", "list.json", "--tenant", "maths-club"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Imported 1 resource into the console community 'maths-club'." in result.stdout
    assert "Skipped 1 row:\n  item 2: url:" in result.stdout
    chat = staffroom(["chat", "--tenant", "maths-club"], tmp_path, "resource find pizza\n")
    assert "#1 Fractions with pizza" in chat.stdout
    missing = staffroom(
        ["resources", "import", "list.json", "--platform", "slack", "--tenant", "T1"], tmp_path
    )
    assert missing.returncode == 2
    assert "hasn't been used in the slack community 'T1'" in missing.stderr
    with sqlite3.connect(tmp_path / "staffroom.db") as db:
        audit = db.execute("SELECT action, target, after FROM audit_entries").fetchall()
    assert audit == [("resource import", "list.json", '{"imported": 1, "skipped": 1}')]
    unreadable = staffroom(["resources", "import", "nothing.csv"], tmp_path)
    assert unreadable.returncode == 1
    assert unreadable.stderr.startswith("staffroom: I can't read")
