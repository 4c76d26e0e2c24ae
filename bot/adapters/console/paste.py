"""Lines pasted in the console, sent as a file attached to a command (``/paste``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.events import MAX_FILE_BYTES, EventFile


@dataclass(kw_only=True)
class Paste:
    """Lines being pasted, to be sent as a file attached to ``command``."""

    command: str
    lines: list[str] = field(default_factory=list)

    def file(self) -> EventFile:
        content = "\n".join(self.lines).encode("utf-8")
        return EventFile(name="pasted", content=content, too_large=len(content) > MAX_FILE_BYTES)
