"""Mentoring in the console: offers and requests, rounds, buttons, introductions, expiry."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from bot.community.models import MentorPair
from bot.community.pairs import mentor_pairs
from bot.core.clock import ManualClock
from bot.skills.mentoring.models import MenteeRequest, MentorOffer, MentorProposal
from bot.skills.mentoring.proposals import expire_proposals
from bot.storage.models import AuditEntry
from tests.skills.mentoring.helpers import as_scheduler, member_id, mentee, mentor
from tests.support.console import Chat


async def test_offer_request_preview_run_accept_and_meet(chat: Chat, app: App) -> None:
    """The issue's definition of done, end to end in the console."""
    out = await mentor(chat, "ana", "capacity:2 science, math")
    assert "offering to mentor up to 2 mentees in science and math" in out
    out = await mentee(chat, "bo", "subject:science help planning labs")
    assert "looking for a mentor in science" in out

    preview = await chat("/as mod moderator", "pair preview")
    assert "1. @ana → @bo (score 6.8): both teach grade 7 science; 3 shared working hours" in (
        preview
    )
    assert "Nothing was sent" in preview and "DM to" not in preview
    async with app.store.transaction() as session:
        assert list(await session.scalars(select(MentorProposal))) == []

    sent = await chat("pair run")
    assert "── DM to @ana ──" in sent and "Would you mentor @bo?" in sent
    assert "Their goals: help planning labs" in sent
    assert "── DM to @bo ──" in sent and "Would you like @ana as your mentor?" in sent
    assert sent.count("[1] Accept   [2] Decline") == 2

    assert "as soon as @ana accepts" in await chat("/as bo", "1")
    met = await chat("/as ana", "1")
    assert "── group DM to @ana, @bo ──" in met
    assert "@ana, meet @bo: @ana will mentor @bo." in met
    assert "Why we matched you: both teach grade 7 science; 3 shared working hours." in met
    assert "Local time now: @ana 12:00 (Europe/Lisbon), @bo 07:00 (America/New_York)." in met
    assert "• Tue 3 Mar 15:00 for @ana = Tue 3 Mar 10:00 for @bo" in met
    assert met.count(" for @ana = ") == 3
    assert "you both said yes" in met

    ana, bo = await member_id(app, "ana"), await member_id(app, "bo")
    async with app.store.transaction() as session:
        (proposal,) = await session.scalars(select(MentorProposal))
        assert (proposal.status, proposal.mentor_answer, proposal.mentee_answer) == (
            "accepted",
            "accepted",
            "accepted",
        )
        (pair,) = await session.scalars(select(MentorPair))
        assert pair.ended_at is None
        request = await session.scalar(select(MenteeRequest))
        assert request is not None and request.matched_at is not None
        assert await mentor_pairs(session, 1) == [(ana, bo)]
    status = await chat("mentor status")
    assert "mentoring 1 now" in status and "Mentoring @bo since 02 Mar" in status


async def test_a_second_press_and_someone_else_change_nothing(chat: Chat, app: App) -> None:
    await mentor(chat, "ana")
    await mentee(chat, "bo")
    await chat("/as mod moderator", "pair run")
    await chat("/as bo", "1")
    again = await chat("mentor accept 1")
    assert "You already accepted this proposal; I'm waiting for @ana." in again
    assert "can't find that mentoring proposal" in await chat("/as eve", "mentor accept 1")
    assert "can't find that mentoring proposal" in await chat("mentor decline 1")
    async with app.store.transaction() as session:
        (proposal,) = await session.scalars(select(MentorProposal))
        assert (proposal.status, proposal.mentor_answer) == ("pending", "")
    await chat("/as ana", "mentor accept 1")
    out = await chat("mentor accept 1", "mentor decline 1")
    assert out.count("You both accepted already") == 2
    async with app.store.transaction() as session:
        assert len(list(await session.scalars(select(MentorPair)))) == 1


async def test_a_decline_frees_both_and_is_never_proposed_again(chat: Chat, app: App) -> None:
    await mentor(chat, "ana")
    await mentee(chat, "bo")
    await chat("/as mod moderator", "pair run")
    out = await chat("/as bo", "2")
    assert "── DM to @ana ──" in out and "won't go ahead this time" in out
    assert "I won't suggest this match again" in out
    assert "was declined" in await chat("/as ana", "mentor accept 1")
    preview = await chat("/as mod", "pair preview")
    assert "0 matches" in preview
    assert "@bo: no mentor fits yet" in preview
    await mentor(chat, "cy")
    preview = await chat("/as mod", "pair preview")
    assert "1. @cy → @bo" in preview


async def test_an_expired_proposal_puts_people_back_and_tells_them(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    await mentor(chat, "ana")
    await mentee(chat, "bo")
    await chat("/as mod moderator", "admin config mentoring.proposal_expiry_hours 24")
    sent = await chat("pair run")
    assert "Please answer by Tue 3 Mar 12:00 your time" in sent
    clock.advance(timedelta(hours=24))
    late = await chat("/as bo", "1")
    assert "This proposal expired before you both answered" in late
    assert "as soon as" not in late
    assert "1. @ana → @bo" in await chat("/as mod", "pair preview")  # back in the pool
    assert "Pool: 1 mentor with 1 free place, 1 mentee waiting." in await chat("pair list")

    count, printed = await as_scheduler(app, chat, expire_proposals)
    assert count == 1
    assert printed.count("expired before you both accepted") == 2
    assert "── DM to @ana ──" in printed and "── DM to @bo ──" in printed
    again, printed = await as_scheduler(app, chat, expire_proposals)
    assert (again, printed) == (0, "")
    async with app.store.transaction() as session:
        (proposal,) = await session.scalars(select(MentorProposal))
        assert proposal.status == "expired"
    second_round = await chat("/as mod", "pair run")
    assert "Would you mentor @bo?" in second_round


async def test_capacity_limits_a_round_and_counts_open_proposals(chat: Chat, app: App) -> None:
    await mentor(chat, "ana", "capacity:2")
    for name in ("bo", "cy", "di"):
        await mentee(chat, name)
    out = await chat("/as mod moderator", "pair run")
    assert "2 matches" in out and "1 mentee unmatched" in out
    assert "the mentors who fit are matched with others this round" in out
    assert "0 matches" in await chat("pair preview")  # places held by open proposals
    async with app.store.transaction() as session:
        assert len(list(await session.scalars(select(MentorProposal)))) == 2


async def test_bad_input_changes_nothing(chat: Chat, app: App) -> None:
    await chat.person("ana", name="Ana", role="teacher", subjects="math", grades="5", tz="UTC")
    out = await chat("mentor offer")
    assert "please add your languages and years of experience to your intro" in out
    assert "`intro set languages English, Spanish`" in out
    assert "introduce yourself with `intro`" in await chat("/as zed", "mentor request")
    await mentor(chat, "bea")
    assert "A mentor takes 1 to 5 mentees" in await chat("mentor offer capacity:9")
    assert "A mentor takes 1 to 5 mentees" in await chat("mentor offer capacity:two")
    assert "Only moderators and admins can use `pair run`" in await chat("pair run")
    assert "no mentoring pairing to end" in await chat("mentor end")
    async with app.store.transaction() as session:
        offers = list(await session.scalars(select(MentorOffer)))
        assert [(o.capacity, o.subjects) for o in offers] == [(1, [])]
        assert list(await session.scalars(select(MenteeRequest))) == []


async def test_pause_and_resume(chat: Chat) -> None:
    await mentor(chat, "ana")
    await mentee(chat, "bo")
    assert "Paused" in await chat("mentor pause")
    assert "already paused" in await chat("mentor pause")
    assert "Nobody is waiting for a mentor" in await chat("/as mod moderator", "pair preview")
    assert "Welcome back" in await chat("/as bo", "mentor resume")
    assert "1. @ana → @bo" in await chat("/as mod", "pair preview")
    assert "haven't offered or asked" in await chat("/as eve", "mentor pause")


async def test_the_experience_gap_and_weights_are_the_communitys(chat: Chat) -> None:
    await mentor(chat, "ana", years="4")
    await mentee(chat, "bo", years="3")
    await chat("/as mod moderator")
    assert "@bo: no mentor fits yet" in await chat("pair preview")
    assert "is now 1" in await chat("admin config mentoring.experience_gap 1")
    assert "(score 6.8)" in await chat("pair preview")
    await chat("admin config mentoring.weight.hours 0")
    assert "(score 6.0)" in await chat("pair preview")
    assert "A weight is a number from 0 to 10" in await chat(
        "admin config mentoring.weight.hours 11"
    )


async def test_manual_pairing_keeps_the_hard_rules(chat: Chat, app: App) -> None:
    await mentor(chat, "ana")
    await mentee(chat, "bo")
    await mentee(chat, "cy", languages="Portuguese")
    await chat("/as mod moderator")
    assert "they share no language" in await chat("pair manual @ana @cy")
    assert "nobody can mentor themselves" in await chat("pair manual @ana @ana")
    assert "has not introduced themselves" in await chat(
        "/as zed", "help", "/as mod", "pair manual @ana @zed"
    )
    out = await chat("pair manual @ana @bo")
    assert "Proposed #1: @ana to mentor @bo" in out
    assert "── DM to @bo ──" in out
    assert "already has a proposal waiting" in await chat("pair manual @ana @bo")
    async with app.store.transaction() as session:
        (proposal,) = await session.scalars(select(MentorProposal))
        assert proposal.origin == "manual"
        actions = [e.action for e in await session.scalars(select(AuditEntry))]
        assert actions.count("pair manual") == 1


async def test_ending_a_pairing_keeps_feedback_and_frees_the_place(chat: Chat, app: App) -> None:
    await mentor(chat, "ana", "capacity:2")
    await mentee(chat, "bo")
    await mentee(chat, "cy")
    await chat("/as mod moderator", "pair run")
    await chat("/as bo", "1")
    await chat("/as cy", "1")
    await chat("/as ana", "1", "mentor accept 2")
    out = await chat("mentor end 5")
    assert "You're paired with @bo and @cy: say which one" in out
    out = await chat("mentor end @cy 4 lovely to work with")
    assert "── DM to @cy ──" in out and "@ana has ended your mentoring pairing" in out
    assert "your pairing with @cy has ended. Thanks for the feedback." in out
    assert "not paired with @cy" in await chat("mentor end @cy")
    async with app.store.transaction() as session:
        ended = await session.scalar(select(MentorPair).where(MentorPair.ended_at.is_not(None)))
        assert ended is not None
        assert (ended.mentor_rating, ended.mentor_feedback) == (4, "lovely to work with")
    assert "Pool: 1 mentor with 1 free place" in await chat("/as mod", "pair list")
    assert "already have a mentor" in await chat("/as bo", "mentor request")
    assert "looking for a mentor" in await chat("/as cy", "mentor request")
    assert "@cy: no mentor fits yet" in await chat("/as mod", "pair preview")  # paired before


async def test_rounds_and_proposals_stay_in_their_community(chat: Chat, app: App) -> None:
    await mentor(chat, "ana")
    await mentee(chat, "bo")
    await chat("/tenant north")
    await mentee(chat, "cy")
    assert "@cy: no mentor fits yet" in await chat("/as mod moderator", "pair preview")
    assert "@ana" not in await chat("pair run")
    await chat("/tenant demo", "/as mod moderator", "pair run")
    await chat("/tenant north")
    assert "can't find that mentoring proposal" in await chat("/as bo", "mentor accept 1")
    assert "Pool: 0 mentors" in await chat("/as mod moderator", "pair list")


async def test_a_round_is_audited(chat: Chat, app: App) -> None:
    await mentor(chat, "ana")
    await mentee(chat, "bo")
    await chat("/as mod moderator", "pair run")
    async with app.store.transaction() as session:
        (entry,) = await session.scalars(select(AuditEntry).where(AuditEntry.action == "pair run"))
        assert entry.after == {"proposals": [1], "unmatched": []}
