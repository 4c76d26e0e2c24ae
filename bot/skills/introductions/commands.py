"""Introductions: ``intro``, ``intro set``, ``whois``, ``people find`` and the join welcome."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.community import vocabulary as vocab
from bot.community.profiles import (
    FIELDS,
    FIELDS_BY_NAME,
    DirectoryQuery,
    ProfileData,
    ZoneChoiceNeeded,
    delete_profile,
    edit_text,
    field_names,
    find_field,
    format_value,
    load_profile,
    load_profiles,
    save_profile,
    search_profiles,
)
from bot.community.subjects import family
from bot.core.commands import Filter, Param, ParamKind, command, listener
from bot.core.context import Context
from bot.core.errors import FormError, UsageError, UserFacingError
from bot.core.events import Actor, EventKind, Invocation
from bot.core.mentions import without_live_mentions
from bot.core.parsing import Args
from bot.core.replies import Button, ButtonStyle, CardField, Form, FormField, Reply, mention
from bot.core.tenant_config import TenantSettingSpec
from bot.core.text import whole_number
from bot.core.timezones import UnknownTimeZone, describe, hours_apart, pick_timezone
from bot.skills.introductions.similarity import CommonGround, best_matches, common_ground
from bot.storage.tenant_settings import channel_for, get_setting

PAGE_SIZE = 8
DEFAULT_WELCOME = (
    "I'm Staffroom, this network's assistant. Introduce yourself so colleagues can find you — "
    "it takes two minutes, and I'll suggest a few people you have a lot in common with."
)


def _welcome_text(raw: str) -> str:
    text = raw.strip()
    if not 1 <= len(text) <= 1000:
        raise ValueError("The welcome text needs 1 to 1,000 characters.")
    return text


TENANT_SETTINGS = (
    TenantSettingSpec(
        key="welcome_text",
        summary="The DM a newcomer gets when they join (before the Introduce myself button).",
        default=DEFAULT_WELCOME,
        parse=_welcome_text,
    ),
)

_INTRO_BUTTON = Button(
    label="Introduce myself", action=Invocation(command="intro"), style=ButtonStyle.PRIMARY
)


def intro_form(profile: ProfileData | None, actor: Actor) -> Form:
    """The intro form, filled in with the profile so far, else with what the platform knows
    (the display name, and on Slack the member's time zone)."""
    known = {"display_name": actor.display_name, "timezone": actor.timezone}

    def default(name: str) -> str:
        if profile is not None and profile.value(name):
            return edit_text(FIELDS_BY_NAME[name], profile.value(name))
        return known.get(name, "") if profile is None or name == "timezone" else ""

    return Form(
        title="Introduce yourself",
        fields=tuple(
            FormField(
                name=f.name,
                label=f.label,
                kind=f.kind,
                required=f.required,
                placeholder=f.placeholder,
                default=default(f.name),
                max_length=f.max_length,
            )
            for f in FIELDS
        ),
        submit=Invocation(command="intro save"),
        submit_label="Save my intro",
    )


@command(
    "intro",
    summary="Introduce yourself with a short guided form (or edit your intro).",
    examples=("intro",),
)
async def intro(ctx: Context, args: Args) -> Reply:
    profile = await load_profile(ctx.session, ctx.tenant.id, ctx.member.id)
    lead = (
        "Here's your intro — change anything you like."
        if profile is not None and profile.completed_at
        else "Tell the network about yourself. Fields marked * are needed; skip any other."
    )
    return Reply(text=lead, form=intro_form(profile, ctx.event.actor), private=True)


@command(
    "intro save",
    summary="Save the answers of the intro form.",
    params=[Param(name=f.name, required=False, max_length=2000) for f in FIELDS],
    hidden=True,
)
async def intro_save(ctx: Context, args: Args) -> Reply:
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    choice: ZoneChoiceNeeded | None = None
    for f in FIELDS:
        if not args.has(f.name):
            continue
        raw = args.text(f.name) or ""
        if not raw.strip():
            if f.required:
                errors[f.name] = f"{f.label} is needed."
            else:
                changes[f.name] = (
                    None if f.name == "years_experience" else "" if f.tag_kind is None else ()
                )
            continue
        try:
            changes[f.name] = f.parse(await without_live_mentions(ctx.session, ctx.tenant.id, raw))
        except ZoneChoiceNeeded as exc:
            choice = exc
        except ValueError as exc:
            errors[f.name] = str(exc)
    if errors:
        raise FormError(errors)
    if choice is not None:
        saved = await _save(ctx, changes, saved_text="Thanks! Your intro is saved.")
        return _zone_choices(choice, lead=f"{saved.text}\n")
    return await _save(ctx, changes, saved_text="Thanks! Your intro is saved.")


def _zone_choices(choice: ZoneChoiceNeeded, *, lead: str = "") -> Reply:
    """Buttons for the zones a place name may mean; each sets that zone."""
    return Reply(
        text=f"{lead}{choice} (Or type the zone: `intro set tz {choice.options[0].key}`.)",
        buttons=tuple(
            Button(
                label=f"{option.label} ({option.key})"[:75],
                action=Invocation(command="intro set", args={"field": "tz", "value": option.key}),
            )
            for option in choice.options
        ),
        private=True,
    )


@command(
    "intro set",
    summary="Change one field of your intro.",
    params=[
        Param(
            name="field",
            help="name, role, subjects, grades, region, tz, languages, experience, "
            "interests or seeking",
        ),
        Param(name="value", kind=ParamKind.TEXT, max_length=500),
    ],
    examples=(
        "intro set tz Europe/Lisbon",
        "intro set subjects math, science",
        "intro set grades 6-8",
    ),
)
async def intro_set(ctx: Context, args: Args) -> Reply:
    name = args.require_text("field")
    profile_field = find_field(name)
    if profile_field is None:
        raise UsageError(
            f"There's no intro field called '{name[:30]}'. Fields: {', '.join(field_names())}.",
            usage="intro set <field> <value>",
        )
    try:
        typed = await without_live_mentions(ctx.session, ctx.tenant.id, args.require_text("value"))
        value = profile_field.parse(typed)
    except ZoneChoiceNeeded as exc:
        return _zone_choices(exc)
    except ValueError as exc:
        raise UserFacingError(f"{exc} Nothing was changed.") from None
    shown = format_value(profile_field, value)
    if profile_field.name == "timezone":
        shown = describe(value, ctx.now())
    return await _save(
        ctx,
        {profile_field.name: value},
        saved_text=f"Updated your {profile_field.label.lower()}: {shown}.",
    )


async def _save(ctx: Context, changes: dict[str, Any], *, saved_text: str) -> Reply:
    result = await save_profile(
        ctx.session, ctx.tenant.id, ctx.member.id, ctx.member.user_id, changes, ctx.now()
    )
    profile = result.profile
    if not profile.is_complete:
        missing = ", ".join(f.label.lower() for f in profile.missing())
        return Reply(
            text=f"{saved_text} To finish your intro, add: {missing}.",
            buttons=(_INTRO_BUTTON,),
            private=True,
        )
    if not result.newly_complete:
        return Reply(text=saved_text, private=True)
    lines = [saved_text]
    channel = await channel_for(ctx.session, ctx.tenant.id, "introductions")
    if channel:
        await ctx.post(channel, _intro_post(profile, ctx.now()))
        lines.append(f"I've shared it in <#{channel}>.")
    else:
        lines.append(
            "(No introductions channel is set yet, so I haven't posted it — a moderator can set "
            "one with `admin channel introductions #channel`.)"
        )
    suggestions = await _suggestions(ctx, profile)
    if suggestions:
        lines.append("\nPeople you might like to meet:")
        for other, ground in suggestions:
            lines.append(f"• {other.display_name} ({mention(other.user_id)}) — {ground.summary()}")
        lines.append("Say hello, or look for more with `people find`.")
    return Reply(text="\n".join(lines), private=True)


async def _suggestions(
    ctx: Context, profile: ProfileData
) -> list[tuple[ProfileData, CommonGround]]:
    query = DirectoryQuery(
        exclude_member_id=profile.member_id,
        tags_any={
            "subject": profile.subjects,
            "grade": profile.grades,
            "interest": profile.interests,
        },
    )
    candidates = await search_profiles(ctx.session, ctx.tenant.id, query, limit=1000)
    return best_matches(profile, candidates, ctx.now(), limit=3)


def _intro_post(profile: ProfileData, now: datetime) -> Reply:
    card = profile_card(profile, now)
    return Reply(
        title=f"👋 Please welcome {profile.display_name}!",
        text=f"{mention(profile.user_id)} just introduced themselves.",
        fields=card.fields,
    )


def profile_card(profile: ProfileData, now: datetime, ground: CommonGround | None = None) -> Reply:
    fields = []
    for f in FIELDS:
        if f.name in ("display_name", "role_title"):
            continue
        value = profile.value(f.name)
        if value in (None, "", ()):
            continue
        text = describe(value, now) if f.name == "timezone" else format_value(f, value)
        fields.append(CardField(name=f.label, value=text))
    if ground is not None and ground.reasons:
        fields.append(CardField(name="In common", value=ground.summary(), inline=False))
    title = profile.display_name + (f" — {profile.role_title}" if profile.role_title else "")
    return Reply(title=title, text=mention(profile.user_id), fields=tuple(fields))


@command(
    "whois",
    summary="See someone's intro (or your own with `whois me`).",
    params=[Param(name="member", kind=ParamKind.MENTION)],
    examples=("whois @ana", "whois me"),
)
async def whois(ctx: Context, args: Args) -> Reply:
    who = args.member("member")
    assert who is not None
    target = await ctx.lookup_member(who)
    profiles = await load_profiles(ctx.session, ctx.tenant.id, [target.id, ctx.member.id])
    profile = profiles.get(target.id)
    is_me = target.id == ctx.member.id
    if profile is None or (profile.completed_at is None and not is_me):
        if is_me:
            return Reply(
                text="You haven't introduced yourself yet.", buttons=(_INTRO_BUTTON,), private=True
            )
        return Reply(text=f"{mention(target.user_id)} hasn't introduced themselves yet.")
    ground = None
    mine = profiles.get(ctx.member.id)
    if not is_me and mine is not None:
        ground = common_ground(mine, profile, ctx.now())
    card = profile_card(profile, ctx.now(), ground)
    if is_me and not profile.is_complete:
        missing = ", ".join(f.label.lower() for f in profile.missing())
        return Reply(
            title=card.title,
            text=f"{card.text}\nStill to add: {missing}.",
            fields=card.fields,
            buttons=(_INTRO_BUTTON,),
            private=True,
        )
    return card


_TZ_WINDOW = re.compile(r"^(?:\+-|\+/-|±)?\s*([0-9]{1,2}(?:\.5)?)\s*h?$", re.IGNORECASE)


@command(
    "people find",
    summary="Search the member directory.",
    params=[
        Param(name="words", kind=ParamKind.TEXT, required=False, max_length=200, help="free text")
    ],
    filters=[
        Filter(key="subject", help="a subject, like math", placeholder="math"),
        Filter(key="grade", help="grades or bands, like 6-8", placeholder="6-8"),
        Filter(key="lang", help="a language, like es or Spanish", placeholder="es"),
        Filter(
            key="tz",
            help="within N hours of you (tz:+-3h), or near a zone (tz:Europe/Paris)",
            placeholder="+-3h",
        ),
        Filter(key="role", help="teacher, coach, leader…", placeholder="coach"),
        Filter(key="page", help="which page of results", placeholder="2"),
    ],
    examples=(
        "people find subject:science grade:6-8",
        "people find lang:es tz:+-3h robotics",
        "people find",
    ),
    details="With nothing to filter on, it lists the members you have most in common with.",
)
async def people_find(ctx: Context, args: Args) -> Reply:
    mine = await load_profile(ctx.session, ctx.tenant.id, ctx.member.id)
    query, near = _directory_query(ctx, args, mine)
    page = _page(args.filter("page"))
    everyone = not (
        query.subjects or query.grades or query.languages or query.roles or query.words or near
    )
    if everyone and (mine is None or not mine.is_complete):
        raise UsageError(
            "Tell me who to look for, like `people find subject:math grade:6-8`, or finish your "
            "intro (`intro`) and I'll list the people you have most in common with."
        )
    if everyone and mine is not None:
        query = DirectoryQuery(
            exclude_member_id=ctx.member.id,
            tags_any={"subject": mine.subjects, "grade": mine.grades, "interest": mine.interests},
        )
    found = await search_profiles(ctx.session, ctx.tenant.id, query, limit=2000)
    now = ctx.now()
    note = ""
    if near is not None:
        zone_key, window, note = near
        found = [p for p in found if p.timezone and _within(zone_key, p.timezone, window, now)]
        note = f"{note}.\n" if note else ""
    ranked = _rank(mine, found, now)
    if not ranked:
        return Reply(
            text=f"{note}Nobody matches that yet. Try fewer filters, a wider `tz:` window or "
            "other words.",
            private=True,
        )
    start = (page - 1) * PAGE_SIZE
    shown = ranked[start : start + PAGE_SIZE]
    if not shown:
        return Reply(
            text=f"There are only {len(ranked)} matches; that page is empty.", private=True
        )
    lines = [_directory_line(p, g, now) for p, g in shown]
    buttons: tuple[Button, ...] = ()
    if start + PAGE_SIZE < len(ranked):
        more_args = {k: v[-1] for k, v in args.filters.items() if k != "page"}
        if args.text("words"):
            more_args["words"] = args.require_text("words")
        more_args["page"] = str(page + 1)
        buttons = (Button(label="More", action=Invocation(command="people find", args=more_args)),)
    title = f"{len(ranked)} member{'s' if len(ranked) != 1 else ''} found"
    if len(ranked) > PAGE_SIZE:
        title += f" (page {page} of {(len(ranked) + PAGE_SIZE - 1) // PAGE_SIZE})"
    return Reply(title=title, text=note + "\n".join(lines), buttons=buttons, private=True)


def _directory_query(
    ctx: Context, args: Args, mine: ProfileData | None
) -> tuple[DirectoryQuery, tuple[str, float, str] | None]:
    try:
        subjects = tuple(
            dict.fromkeys(
                narrower
                for subject in vocab.parse_subjects(args.filter("subject") or "")
                for narrower in family(subject)
            )
            if args.filter("subject")
            else ()
        )
        grades = vocab.parse_grades(args.filter("grade") or "") if args.filter("grade") else ()
        languages = vocab.parse_languages(args.filter("lang") or "") if args.filter("lang") else ()
    except ValueError as exc:
        raise UserFacingError(str(exc)) from None
    role = args.filter("role")
    words = tuple(w for w in re.split(r"\s+", args.text("words") or "") if w)[:8]
    near = None
    tz = args.filter("tz")
    if tz:
        near = _near(tz, mine)
    query = DirectoryQuery(
        subjects=subjects,
        grades=grades,
        languages=languages,
        roles=(role,) if role else (),
        words=words,
        exclude_member_id=ctx.member.id,
    )
    return query, near


def _near(text: str, mine: ProfileData | None) -> tuple[str, float, str]:
    """The zone and window of a ``tz:`` filter, and which zone a name was read as."""
    if m := _TZ_WINDOW.match(text.strip()):
        window = float(m.group(1))
        if mine is None or not mine.timezone:
            raise UserFacingError(
                "To search by hours from you, set your time zone first: "
                "`intro set tz Europe/Lisbon`."
            )
        return mine.timezone, window, ""
    try:
        key, note = pick_timezone(text)
    except UnknownTimeZone:
        raise UserFacingError(
            f"I couldn't read `tz:{text[:30]}`. Use a window like `tz:+-3h` or a zone like "
            "`tz:Europe/Paris`."
        ) from None
    return key, 1.0, note


def _within(center: str, other: str, window: float, now: datetime) -> bool:
    try:
        return hours_apart(center, other, now) <= window
    except UnknownTimeZone:
        return False


def _page(raw: str | None) -> int:
    if raw is None:
        return 1
    page = whole_number(raw, minimum=1, maximum=1000)
    if page is None:
        raise UserFacingError("`page:` takes a page number from 1 to 1000, like `page:2`.")
    return page


def _rank(
    mine: ProfileData | None, found: list[ProfileData], now: datetime
) -> list[tuple[ProfileData, CommonGround | None]]:
    if mine is None or not mine.is_complete:
        return [
            (p, None) for p in sorted(found, key=lambda p: (p.display_name.lower(), p.member_id))
        ]
    scored = [(p, common_ground(mine, p, now)) for p in found]
    scored.sort(key=lambda pair: (-pair[1].score, pair[0].display_name.lower(), pair[0].member_id))
    return [(p, g) for p, g in scored]


def _directory_line(profile: ProfileData, ground: CommonGround | None, now: datetime) -> str:
    bits = [profile.role_title] if profile.role_title else []
    if profile.subjects:
        bits.append(", ".join(profile.subjects[:3]))
    if profile.grades:
        bits.append(vocab.grades_phrase(profile.grades))
    if profile.region:
        bits.append(profile.region)
    line = f"• {profile.display_name} ({mention(profile.user_id)}) — " + " · ".join(bits)
    if ground is not None and ground.reasons:
        line += f" — {ground.summary()}"
    return line


@listener(EventKind.MEMBER_JOINED)
async def welcome(ctx: Context) -> bool:
    """DM a newcomer, inviting an intro (or welcome back someone who already has one)."""
    profile = await load_profile(ctx.session, ctx.tenant.id, ctx.member.id)
    community = ctx.tenant.name or "the network"
    if profile is not None and profile.completed_at is not None:
        await ctx.send_dm(
            ctx.member.user_id,
            Reply(
                text=f"Welcome back to {community}, {profile.display_name}! "
                "Your intro is still here (`whois me`)."
            ),
        )
        return True
    text = await get_setting(ctx.session, ctx.tenant.id, "welcome_text", DEFAULT_WELCOME)
    await ctx.send_dm(
        ctx.member.user_id,
        Reply(title=f"Welcome to {community}!", text=str(text), buttons=(_INTRO_BUTTON,)),
    )
    return True


async def export_profile(session: AsyncSession, tenant_id: int, member_id: int) -> dict[str, Any]:
    profile = await load_profile(session, tenant_id, member_id)
    if profile is None:
        return {}
    return {
        "profile": {
            **{f.name: profile.value(f.name) for f in FIELDS},
            "completed_at": profile.completed_at.isoformat() if profile.completed_at else None,
        }
    }


async def forget_profile(session: AsyncSession, tenant_id: int, member_id: int) -> None:
    await delete_profile(session, tenant_id, member_id)
