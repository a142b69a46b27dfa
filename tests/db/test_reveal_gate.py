"""Reveal, as a property: a hidden post's text reaches a clicker only from its label on (issue 17).

For any message, any line, any label and any reader progress, `decide` allows the text only
when the reader's progress reaches the label; *Show anyway* is the only other way to it. For
the guard's own labels, what a reader who reaches the label is shown reveals nothing past
their progress.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.spoilers import load_cases
from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.catalog.shows import ShowInfo
from bot.catalog.store import CatalogStore
from bot.clock import ManualClock
from bot.corpus.service import import_paths
from bot.guard.engine import SpoilerIndex
from bot.guard.hidden_posts import HiddenPosts
from bot.guard.index_store import SpoilerIndexStore
from bot.guard.journal import OutboxJournal
from bot.guard.service import Finding
from bot.progress.service import ProgressService
from tests.conftest import SAMPLE_CORPUS

GUILD, CHANNEL = 1, 10
IDS = itertools.count(1_000_000)
Parts = tuple[HiddenPosts, ProgressService, SpoilerIndex, list[ShowInfo]]
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # ids are fresh per example
)
LEDGER = "the ledger gets ruled inadmissible and brannigan recants"
MESSAGES = sorted({(case.show, case.text) for case in load_cases()})
"""The labelled messages with their shows (the issue's leaks are explicit examples)."""


@pytest.fixture
async def parts(sessions: async_sessionmaker[AsyncSession]) -> Parts:
    await import_paths(sessions, [SAMPLE_CORPUS])
    catalog = CatalogStore(sessions)
    await catalog.refresh()
    indexes = SpoilerIndexStore(sessions)
    await indexes.refresh()
    progress = ProgressService(sessions, catalog, ManualClock())
    hidden = HiddenPosts(sessions, catalog, progress, ManualClock(), OutboxJournal(sessions))
    return hidden, progress, indexes.index, list(catalog.catalog.shows)


def _episodes(show: ShowInfo) -> list[EpisodeRef]:
    return list(show.layout.episodes())


async def _post(hidden: HiddenPosts, show: ShowInfo, label: EpisodeRef, text: str) -> int:
    message_id = next(IDS)
    await hidden.remember(
        message_id=message_id,
        guild_id=GUILD,
        channel_id=CHANNEL,
        show=show,
        episode=label,
        content=text,
        kind="spoiler",
    )
    assert await hidden.flush()  # Reveal reads what the database kept
    return message_id


async def _reader(progress: ProgressService, show: ShowInfo, at: EpisodeRef | None) -> int:
    reader = next(IDS)
    if at is not None:
        await progress.set(reader, show.title, at.code)
    return reader


@SETTINGS
@given(data=st.data(), text=st.text(min_size=1, max_size=200))
async def test_any_label_opens_only_to_progress_that_reaches_it(
    parts: Parts, data: st.DataObject, text: str
) -> None:
    hidden, progress, _, shows = parts
    show = data.draw(st.sampled_from(shows), label="show")
    label = data.draw(st.sampled_from(_episodes(show)), label="label")
    at = data.draw(st.none() | st.sampled_from(_episodes(show)), label="progress")
    message_id = await _post(hidden, show, label, text)
    decision = await hidden.decide(message_id, await _reader(progress, show, at))
    assert decision.allowed == (at is not None and at >= label)
    assert decision.post.episode == label  # Show anyway shows the text, less any NUL (unstorable)
    assert decision.post.content == text.replace("\x00", "")


@SETTINGS
@given(
    message=st.sampled_from(MESSAGES),
    line=st.integers(0, 20),
    at=st.none() | st.integers(1, 20),
)
@example(message=("Ballard", "bo strand shot him twice, brutal"), line=4, at=6)
@example(message=("Ballard", LEDGER), line=4, at=9)
@example(message=("The Lantern Keeper", "aldous is a ghost the whole time?!"), line=0, at=4)
async def test_a_guard_label_shows_nothing_past_the_readers_progress(
    parts: Parts, message: tuple[str, str], line: int, at: int | None
) -> None:
    hidden, progress, index, shows = parts
    title, text = message
    show = next(show for show in shows if show.title == title)
    episodes = _episodes(show)
    spoiler_line = episodes[min(line, len(episodes)) - 1] if line else NOTHING
    verdict = index.check(text, show.id, spoiler_line)
    if not verdict.spoiler:
        return
    finding = Finding(show, spoiler_line, verdict)
    message_id = await _post(hidden, show, finding.episode, text)
    reader_at = None if at is None else episodes[min(at, len(episodes)) - 1]
    decision = await hidden.decide(message_id, await _reader(progress, show, reader_at))
    assert decision.allowed == (reader_at is not None and reader_at >= finding.episode)
    if decision.allowed:
        assert reader_at is not None
        assert not index.check(text, show.id, reader_at).spoiler, (text, reader_at)
