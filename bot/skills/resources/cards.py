"""How resources look in chat: list lines, cards, the share form and listings with "More"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from babel.numbers import format_decimal

from bot.community import vocabulary as vocab
from bot.core.events import Invocation
from bot.core.i18n import N_, Translator
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


def stars(t: Translator, average: float) -> str:
    """An average rating with one decimal, as the reader writes numbers (``4.5``, ``4,5``)."""
    return format_decimal(round(average, 1), format="0.0", locale=t.locale)


def rating_text(t: Translator, card: ResourceCard) -> str:
    average = card.average_rating
    if average is None:
        return t.gettext("not rated yet")
    return t.ngettext(
        "★ {average} ({n} rating)",
        "★ {average} ({n} ratings)",
        card.rating_count,
        average=stars(t, average),
    )


def sharer_text(t: Translator, card: ResourceCard) -> str:
    """Who shared it: a mention, or who it was when the member is no longer named."""
    if card.sharer_user_id is not None:
        return mention(card.sharer_user_id)
    return (
        t.gettext("an imported list") if card.source == "import" else t.gettext("a former member")
    )


def attribution(t: Translator, card: ResourceCard) -> str:
    """``shared by @ana``, ``imported`` or ``shared by a former member``."""
    if card.sharer_user_id is None and card.source == "import":
        return t.gettext("imported")
    return t.gettext("shared by {sharer}", sharer=sharer_text(t, card))


_KIND_LABELS = {
    "lesson-plan": N_("lesson plan"),
    "article": N_("article"),
    "video": N_("video"),
    "tool": N_("tool"),
    "course": N_("course"),
    "other": N_("other"),
}


def kind_text(t: Translator, kind: str) -> str:
    """A resource type as readers call it (``lesson plan``, ``plan de clase``)."""
    label = _KIND_LABELS.get(kind)
    return t.gettext(label) if label else kind_label(kind)


def grades_text(t: Translator, levels: tuple[str, ...]) -> str:
    """``grade 7`` / ``grades 6–8`` (higher ed and adult stand alone)."""
    text = vocab.format_grades(levels)
    if len(levels) == 1 and levels[0] in ("he", "adult"):
        return text
    single = len(levels) == 1 and levels[0] != "pk"
    return t.ngettext("grade {grades}", "grades {grades}", 1 if single else 2, grades=text)


def resource_line(t: Translator, card: ResourceCard) -> str:
    """Two lines: what and where, then type · subject · grades · rating · sharer."""
    star = "⭐ " if card.featured else ""
    details = [kind_text(t, card.kind)]
    if card.subject:
        details.append(card.subject)
    if card.grade_mask:
        details.append(grades_text(t, card.grades))
    details.append(rating_text(t, card))
    details.append(attribution(t, card))
    return f"{star}#{card.number} {card.title} — {card.url}\n    " + " · ".join(details)


def resource_card(
    t: Translator, card: ResourceCard, *, actions: bool = True, sharer: bool = True
) -> Reply:
    """One resource in full, with Save and Rate when ``actions`` (and who shared it when
    ``sharer``)."""
    fields = [CardField(name=t.gettext("Type"), value=kind_text(t, card.kind))]
    if card.subject:
        fields.append(CardField(name=t.gettext("Subject"), value=card.subject))
    if card.grade_mask:
        fields.append(CardField(name=t.gettext("Grades"), value=vocab.format_grades(card.grades)))
    if card.tags:
        fields.append(
            CardField(name=t.gettext("Tags"), value=" ".join(f"#{tag}" for tag in card.tags))
        )
    fields.append(CardField(name=t.gettext("Rating"), value=rating_text(t, card)))
    if sharer:
        fields.append(CardField(name=t.gettext("Shared by"), value=sharer_text(t, card)))
    text = card.url + (f"\n{card.description}" if card.description else "")
    buttons: tuple[Button, ...] = ()
    choices = None
    if actions:
        buttons = (
            Button(
                label=t.gettext("Save"), action=Invocation(command="resource save", args=_id(card))
            ),
        )
        choices = ChoiceList(
            placeholder=t.gettext("Rate it"),
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


def share_form(t: Translator, *, url: str = "", title: str = "") -> Form:
    """The share form; submitting it calls the hidden ``resource share submit``."""
    return Form(
        title=t.gettext("Share a resource"),
        fields=(
            FormField(
                name="url",
                label=t.gettext("Link"),
                required=True,
                placeholder="https://…",
                default=url,
                max_length=MAX_URL_LENGTH,
            ),
            FormField(
                name="title",
                label=t.gettext("Title"),
                placeholder=t.gettext("empty: the page's own title"),
                default=title,
                max_length=MAX_TITLE_LENGTH,
            ),
            FormField(
                name="type",
                label=t.gettext("Type"),
                kind=FieldKind.CHOICE,
                options=tuple(Choice(label=kind_text(t, k), value=k) for k in KINDS),
                default="other",
                max_length=20,
            ),
            FormField(
                name="subject",
                label=t.gettext("Subject"),
                placeholder=t.gettext("math"),
                max_length=40,
            ),
            FormField(
                name="grades", label=t.gettext("Grades"), placeholder="3-5, 6-8", max_length=100
            ),
            FormField(
                name="tags",
                label=t.gettext("Tags"),
                placeholder=t.gettext("fractions, games"),
                max_length=400,
            ),
            FormField(
                name="description",
                label=t.gettext("Description"),
                kind=FieldKind.LONG_TEXT,
                placeholder=t.gettext("What it is and how you used it"),
                max_length=MAX_DESCRIPTION_LENGTH,
            ),
        ),
        submit=Invocation(command="resource share submit"),
        submit_label=t.gettext("Share"),
    )


def listing(
    t: Translator,
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
        title = t.gettext("{title} (page {page})", title=title, page=page)
    buttons = (
        (Button(label=t.gettext("More"), action=more, style=ButtonStyle.DEFAULT),) if more else ()
    )
    return Reply(
        title=title,
        text="\n".join(resource_line(t, card) for card in cards),
        buttons=buttons,
        private=True,
    )


def next_page(command: str, args: Mapping[str, str], page: int) -> Invocation:
    return Invocation(command=command, args={**args, "page": str(page + 1)})
