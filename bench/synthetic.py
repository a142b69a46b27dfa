"""A deterministic synthetic corpus and chat stream for the speed benchmark."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from bot.catalog.episodes import EpisodeRef
from bot.guard.engine.types import CorpusSentence, ShowCorpus

SYLLABLES = "ka lo mi ren tas vor el an dru sel pim oth qua bel nor ix zu fen gar hol".split()
COMMON = """
house car harbor station office ship street letter phone money night morning river bridge
school church market hospital court garden kitchen window door road forest island village
city tower archive file record photo notebook key ledger map engine signal storm fire boat
""".split()
VERBS = "finds hides steals opens burns reads sells buys loses repairs".split()
EVENTS = ("dies", "is arrested", "kills", "betrays", "confesses to", "kisses", "is freed")
ROLES = ("captain", "doctor", "father", "sister", "lawyer", "reporter", "partner", "boss")
OPINION = (
    "The pacing is uneven but the performances are terrific.",
    "I loved how patient this episode felt.",
    "The writing is sharper than last week, and the score is great.",
    "Honestly the cinematography carries the weaker scenes.",
)
CHAT = (
    "who's watching tonight?",
    "the soundtrack slaps",
    "pizza after the next ep?",
    "need a break, brb making tea",
    "this show is so good omg",
    "anyone know when new eps drop",
    "lol my cat sat on the remote",
    "rewatch party thursday, who's in",
)


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


@dataclass(frozen=True, slots=True)
class ShowPlan:
    """A synthetic show's cast and invented terms, in order of first appearance."""

    show_id: int
    title: str
    people: tuple[str, ...]
    terms: tuple[str, ...]
    episodes: int


def plan(show_id: int, episodes: int, seed: int = 7) -> ShowPlan:
    """The deterministic cast and vocabulary of one show."""
    rng = random.Random(seed * 100_003 + show_id)
    people = tuple(f"{_word(rng, 2).title()} {_word(rng, 2).title()}{show_id}" for _ in range(40))
    terms = tuple(f"{_word(rng, 3)}{show_id}" for _ in range(60))
    return ShowPlan(show_id, f"Show {show_id} {_word(rng, 2).title()}", people, terms, episodes)


def corpus(show: ShowPlan, sentences: int = 40, seed: int = 7) -> ShowCorpus:
    """Recap sentences: a few people and terms appear each episode; events happen to them."""
    rng = random.Random(seed * 7919 + show.show_id)
    rows = []
    for number in range(1, show.episodes + 1):
        ref = EpisodeRef(1, number)
        people = show.people[: 6 + number * 34 // show.episodes]
        terms = show.terms[: 8 + number * 52 // show.episodes]
        for _ in range(sentences):
            rows.append(_sentence(rng, ref, people, terms))
    return ShowCorpus(show.show_id, show.title, (), tuple(rows))


def _sentence(
    rng: random.Random, ref: EpisodeRef, people: tuple[str, ...], terms: tuple[str, ...]
) -> CorpusSentence:
    roll = rng.random()
    a, b = rng.choice(people[-8:]), rng.choice(people)
    if roll < 0.15:
        return CorpusSentence(ref, rng.choice(OPINION), "opinion")
    if roll < 0.35:
        role = ROLES[sum(map(ord, a)) % len(ROLES)]
        return CorpusSentence(ref, f"{a}, the {role}, {rng.choice(EVENTS)} {b} in the night.")
    place, thing = rng.choice(COMMON), rng.choice(terms[-10:])
    return CorpusSentence(
        ref, f"At the {place}, {a} {rng.choice(VERBS)} the {thing} while {b} watches."
    )


def chat(show: ShowPlan, rng: random.Random) -> tuple[str, EpisodeRef]:
    """One chat message and the writer's spoiler line: mostly chatter, some names, some spoilers."""
    line = EpisodeRef(1, rng.randint(1, show.episodes))
    roll = rng.random()
    if roll < 0.6:
        return rng.choice(CHAT), line
    person = rng.choice(show.people).split()[rng.randint(0, 1)].lower()
    if roll < 0.85:
        return f"{person} is my favourite, the {rng.choice(COMMON)} scene lol", line
    term = rng.choice(show.terms)
    return f"omg {person} {rng.choice(EVENTS)} {rng.choice(show.people).split()[1]} {term}", line


def corpora(shows: int, episodes: int, sentences: int) -> Iterator[ShowCorpus]:
    """The whole synthetic corpus, one show at a time (so it never sits in memory at once)."""
    for show_id in range(1, shows + 1):
        yield corpus(plan(show_id, episodes), sentences)
