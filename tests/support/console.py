"""Driving the console adapter from tests: lines in, transcript out."""

from __future__ import annotations

from bot.adapters.console.session import ConsoleSession


class Chat:
    """A scripted console conversation; each call returns the text printed for its lines."""

    def __init__(self, session: ConsoleSession) -> None:
        self.session = session
        self.transcript: list[str] = []

    async def __call__(self, *lines: str) -> str:
        printed: list[str] = []
        for line in lines:
            self.transcript.append(f"{self.session.prompt}{line}")
            out = await self.session.feed(line)
            self.transcript += out
            printed += out
        return "\n".join(printed)

    async def intro(self, **fields: str) -> str:
        """Fill in the intro form; unnamed fields are skipped (kept empty)."""
        order = [
            "display_name",
            "role_title",
            "subjects",
            "grades",
            "region",
            "timezone",
            "languages",
            "years_experience",
            "interests",
            "seeking",
        ]
        out = await self("intro")
        answers = [fields.get(name, "") for name in order]
        return out + "\n" + await self(*answers)

    async def person(self, who: str, /, **fields: str) -> str:
        """Switch to ``name`` and set the given intro fields with ``intro set``."""
        out = await self(f"/as {who}")
        for key, value in fields.items():
            out += "\n" + await self(f"intro set {key} {value}")
        return out
