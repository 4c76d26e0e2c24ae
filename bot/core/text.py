"""What any text a member typed may contain, decided once where it enters the core.

``clean_event`` is applied by the dispatcher to every event, whatever the adapter: lone
surrogates (they cannot be encoded, so the store and every export would fail on them),
control characters and bidi overrides go, and the rest is NFC-normalised. Names get more:
``clean_name`` also removes invisible characters and folds look-alikes (NFKC), and
``check_name`` refuses names that are empty once cleaned or that chat platforms reserve.
Whole numbers are read by ``whole_number``: ASCII digits only, within stated bounds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from bot.core.events import Event, Invocation

# Invisible characters that can disguise text: bidi overrides/isolates and zero-width marks.
_INVISIBLE = {"\u200b", "\u200e", "\u200f", "\u2060", "\ufeff"} | {
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
}
# Letters that render as nothing (Hangul and Braille fillers) and joiners that Unicode does
# not class as format characters.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u180e")
RESERVED_NAMES = frozenset({"everyone", "here", "channel", "staffroom", "admin", "moderator"})
"""Names that chat platforms (``@everyone``, ``@here``, ``@channel``) or Staffroom itself use."""
_ASCII_NUMBER = re.compile(r"[0-9]+")


def clean_text(text: str) -> str:
    """NFC-normalised text without surrogates, control or bidi-override characters.

    Newlines and tabs stay. Cleaning twice changes nothing.
    """
    kept = "".join(
        ch
        for ch in text
        if ch in "\n\t"
        or (ch not in _INVISIBLE and unicodedata.category(ch) not in ("Cc", "Cs"))
    )
    return unicodedata.normalize("NFC", kept)


def clean_name(text: str) -> str:
    """A name as it may be shown: visible characters only, look-alikes folded, one space."""
    folded = unicodedata.normalize("NFKC", clean_text(text))
    visible = "".join(ch for ch in folded if _visible_in_name(ch))
    return " ".join(visible.split())


def _visible_in_name(ch: str) -> bool:
    if ch in _BLANK_LETTERS:
        return False
    category = unicodedata.category(ch)
    # Cf: format characters (zero-width joiners, U+2064, tag characters); Mn variation
    # selectors; Co/Cn: private use and unassigned code points.
    if category in ("Cf", "Co", "Cn", "Cc", "Cs"):
        return False
    return not (category == "Mn" and unicodedata.name(ch, "").startswith("VARIATION SELECTOR"))


def check_name(text: str, *, limit: int = 80) -> str:
    """The cleaned name, or ``ValueError`` with a sentence saying why it can't be one."""
    name = clean_name(text)
    if not any(ch.isalnum() for ch in name):
        raise ValueError("A name needs at least one visible letter or digit.")
    if len(name) > limit:
        raise ValueError(f"That name is too long (at most {limit} characters).")
    bare = name.lstrip("@!").casefold()
    if bare in RESERVED_NAMES:
        raise ValueError(
            f"`{name}` can't be a name: chat platforms and Staffroom use `@{bare}` "
            "to address everyone or themselves."
        )
    return name


def whole_number(text: str, *, minimum: int, maximum: int) -> int | None:
    """``text`` read as ASCII digits, or None when it isn't one within the bounds.

    ``str.isdigit`` accepts ``²`` and ``①`` (which ``int`` refuses) and ``int`` accepts other
    scripts' digits, ``_`` and signs; neither belongs in a command.
    """
    stripped = text.strip()
    if not _ASCII_NUMBER.fullmatch(stripped) or len(stripped.lstrip("0")) > len(str(maximum)):
        return None
    value = int(stripped)
    return value if minimum <= value <= maximum else None


def clean_event(event: Event) -> Event:
    """The event with every text a person could have typed cleaned (see the module)."""
    invocation = event.invocation
    if invocation is not None:
        invocation = Invocation(
            command=clean_text(invocation.command),
            args={clean_text(k): clean_text(v) for k, v in invocation.args.items()},
        )
    actor, tenant, place = event.actor, event.tenant, event.place
    return replace(
        event,
        event_id=clean_text(event.event_id),
        text=clean_text(event.text),
        invocation=invocation,
        actor=replace(
            actor, user_id=clean_text(actor.user_id), display_name=clean_name(actor.display_name)
        ),
        tenant=replace(
            tenant, external_id=clean_text(tenant.external_id), name=clean_name(tenant.name)
        ),
        place=replace(place, channel_id=clean_text(place.channel_id)),
    )
