"""The outbox's pure state: end states, retries with backoff, edits, the catch-up window."""

from __future__ import annotations

from bot.guard.outbox import (
    MAX_ATTEMPTS,
    MAX_DELAY,
    PENDING,
    POSTED,
    Job,
    backoff,
    catch_up_from,
    sanitise,
)

JOB = Job(1, 2, 3, 4, 5, 1, 10, "Ballard S01E10", "the captain walks free")


def test_a_job_ends_hidden_warned_or_withdrawn() -> None:
    posted = JOB.posted([7, 8])
    assert posted.state == POSTED and posted.copy_ids == (7, 8) and not posted.done
    assert posted.hidden().done and JOB.warned("no").done and JOB.withdrawn().done
    assert not JOB.done and JOB.state == PENDING


def test_failures_back_off_and_run_out() -> None:
    job = JOB
    for attempt in range(1, MAX_ATTEMPTS + 1):
        job = job.failed("503", now=100.0)
        assert job.next_attempt == 100.0 + backoff(attempt)
    assert job.exhausted
    assert job.posted([9]).attempts == 0  # the next step starts afresh
    assert backoff(1) < backoff(2) < backoff(3) <= MAX_DELAY == backoff(50)


def test_only_a_pending_job_takes_an_edit() -> None:
    assert JOB.edited("new\x00 text").text == "new text"
    assert JOB.posted([9]).edited("new").text == JOB.text


def test_sanitise_and_the_catch_up_window() -> None:
    assert sanitise("a\x00b") == "ab"
    assert catch_up_from(None, 500) == 500
    assert catch_up_from(400, 500) == 500  # older than the window: the window's start
    assert catch_up_from(600, 500) == 600


def test_an_edit_before_the_copy_may_move_the_label_later_never_earlier() -> None:
    later = Job(1, 2, 3, 4, 5, 2, 3, "Ballard S02E03", "x")
    earlier = Job(1, 2, 3, 4, 5, 1, 2, "Ballard S01E02", "x")
    other_show = Job(1, 2, 3, 4, 6, 9, 9, "Coldwake S09E09", "x")
    assert JOB.edited("new", later).label == "Ballard S02E03"
    assert JOB.edited("new", earlier).label == JOB.label
    assert JOB.edited("new", other_show).label == JOB.label
    assert JOB.posted([9]).edited("new", later).label == JOB.label
