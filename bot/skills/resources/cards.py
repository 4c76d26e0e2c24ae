"""How resources look in chat: list lines, cards, the share form and listings with "More"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.community import vocabulary as vocab
from bot.core.events import Invocation
from bot.core.replies import (
    Button,
    ButtonStyle,
    CardField,
    Choice,
    ChoiceList,
    FieldKind,
    Form,
    FormField,
    Reply,
    mention,
)
from bot.skills.resources.library import ResourceCard
from bot.skills.resources.links import MAX_URL_LENGTH
from bot.skills.resources.vocabulary import (
    KINDS,
    MAX_DESCRIPTION_LENGTH,
    MAX_TITLE_LENGTH,
    kind_label,
)


def quoted_title(card: ResourceCard) -> str:
    return f"#{card.number} “{card.title}”"


def rating_text(card: ResourceCard) -> str:
    average = card.average_rating
    if average is None:
        return "not rated yet"
    count = card.rating_count
    return f"★ {average:.1f} ({count} rating{'s' if count != 1 else ''})"


def sharer_text(card: ResourceCard) -> str:
    """Who shared it: a mention, or who it was when the member is no longer named."""
    if card.sharer_user_id is not None:
        return mention(card.sharer_user_id)
    return "an imported list" if card.source == "import" else "a former member"


def attribution(card: ResourceCard) -> str:
    """``shared by @ana``, ``imported`` or ``shared by a former member``."""
    if card.sharer_user_id is None and card.source == "import":
        return "imported"
    return f"shared by {sharer_text(card)}"


def resource_line(card: ResourceCard) -> str:
    """Two lines: what and where, then type · subject · grades · rating · sharer."""
    star = "⭐ " if card.featured else ""
    details = [kind_label(card.kind)]
    if card.subject:
        details.append(card.subject)
    if card.grade_mask:
        details.append(vocab.grades_phrase(card.grades))
    details.append(rating_text(card))
    details.append(attribution(card))
    return f"{star}#{card.number} {card.title} — {card.url}\n    " + " · ".join(details)


def resource_card(card: ResourceCard, *, actions: bool = True) -> Reply:
    """One resource in full, with Save and Rate when ``actions``."""
    fields = [CardField(name="Type", value=kind_label(card.kind))]
    if card.subject:
        fields.append(CardField(name="Subject", value=card.subject))
    if card.grade_mask:
        fields.append(CardField(name="Grades", value=vocab.format_grades(card.grades)))
    if card.tags:
        fields.append(CardField(name="Tags", value=" ".join(f"#{t}" for t in card.tags)))
    fields.append(CardField(name="Rating", value=rating_text(card)))
    fields.append(CardField(name="Shared by", value=sharer_text(card)))
    text = card.url + (f"\n{card.description}" if card.description else "")
    buttons: tuple[Button, ...] = ()
    choices = None
    if actions:
        buttons = (
            Button(label="Save", action=Invocation(command="resource save", args=_id(card))),
        )
        choices = ChoiceList(
            placeholder="Rate it",
            options=tuple(Choice(label="★" * n, value=str(n)) for n in range(5, 0, -1)),
            action=Invocation(command="resource rate", args=_id(card)),
            arg="score",
        )
    return Reply(
        title=("⭐ " if card.featured else "") + f"#{card.number} {card.title}",
        text=text,
        fields=tuple(fields),
        buttons=buttons,
        choices=choices,
    )


def _id(card: ResourceCard) -> dict[str, str]:
    return {"id": str(card.number)}


def share_form(*, url: str = "", title: str = "") -> Form:
    """The share form; submitting it calls the hidden ``resource share submit``."""
    return Form(
        title="Share a resource",
        fields=(
            FormField(
                name="url",
                label="Link",
                required=True,
                placeholder="https://…",
                default=url,
                max_length=MAX_URL_LENGTH,
            ),
            FormField(
                name="title",
                label="Title",
                placeholder="empty: the page's own title",
                default=title,
                max_length=MAX_TITLE_LENGTH,
            ),
            FormField(
                name="type",
                label="Type",
                kind=FieldKind.CHOICE,
                options=tuple(Choice(label=kind_label(k), value=k) for k in KINDS),
                default="other",
                max_length=20,
            ),
            FormField(name="subject", label="Subject", placeholder="math", max_length=40),
            FormField(name="grades", label="Grades", placeholder="3-5, 6-8", max_length=100),
            FormField(name="tags", label="Tags", placeholder="fractions, games", max_length=400),
            FormField(
                name="description",
                label="Description",
                kind=FieldKind.LONG_TEXT,
                placeholder="What it is and how you used it",
                max_length=MAX_DESCRIPTION_LENGTH,
            ),
        ),
        submit=Invocation(command="resource share submit"),
        submit_label="Share",
    )


def listing(
    title: str,
    cards: Sequence[ResourceCard],
    *,
    more: Invocation | None,
    page: int,
    empty: str,
) -> Reply:
    """A page of resources; ``more`` (the next page's invocation) adds a More button."""
    if not cards:
        return Reply(text=empty, private=True)
    if page > 1:
        title += f" (page {page})"
    buttons = (Button(label="More", action=more, style=ButtonStyle.DEFAULT),) if more else ()
    return Reply(
        title=title,
        text="\n".join(resource_line(card) for card in cards),
        buttons=buttons,
        private=True,
    )


def next_page(command: str, args: Mapping[str, str], page: int) -> Invocation:
    return Invocation(command=command, args={**args, "page": str(page + 1)})
