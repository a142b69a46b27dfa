"""The models `build_model` makes are pinned: a faster build must make exactly the same ones.

Each digest hashes every field of one show's model in a canonical form (arrays and lists in
order, dictionaries and sets sorted, posting sets as hex). The digests were recorded from the
build before it was optimised (issue 21); a change that alters what the guard learns from a
corpus changes a digest, and must then say why and record the new one.
"""

from __future__ import annotations

import dataclasses
import hashlib
from array import array

from bench.synthetic import corpus, plan
from bot.catalog.episodes import EpisodeRef
from bot.guard.engine.model import ShowModel, build_model
from bot.guard.engine.types import ShowCorpus, TaughtPhrase

SAMPLE_DIGESTS = {
    "Ballard": "e40e42d94a11db5c",
    "Coldwake": "f5a9395ac88cc7c4",
    "Low Tide Motel": "75e591d6192f1556",
    "Permit Pending": "3aaa716191ef0433",
    "The Cartographer's Office": "b661941ead160f5b",
    "The Lantern Keeper": "4d80ff6ba47cddf2",
    "The Quiet Ministry": "0e346bd84fda8af8",
    "Tilly Ferncastle's Flying Shop": "fe379e2a94ce2bee",
}
SYNTHETIC_DIGESTS = {
    1: "3a7e8868c81bdec2",
    2: "50b3a9ba00616bf3",
    17: "41a40ad4b2357048",
    5: "893a11a7c2ba2586",
}


def canonical(value: object) -> object:
    """A comparable, order-stable form of a model field's value."""
    if isinstance(value, EpisodeRef):
        return ("ep", value.season, value.episode)
    if isinstance(value, array):
        return (value.typecode, value.tolist())
    if isinstance(value, bool | float | str | bytes | None):
        return value
    if isinstance(value, int):
        return hex(value)
    if isinstance(value, dict):
        items = [(canonical(k), canonical(v)) for k, v in value.items()]
        return ("dict", sorted(items, key=repr))
    if isinstance(value, frozenset | set):
        return ("set", sorted((canonical(v) for v in value), key=repr))
    if isinstance(value, list | tuple | bytearray):
        return [canonical(v) for v in value]
    raise TypeError(f"no canonical form for {type(value).__name__}")


def model_digest(model: ShowModel) -> str:
    """A short hash of every field of a model, in canonical form."""
    digest = hashlib.sha256()
    for field in dataclasses.fields(model):
        digest.update(f"{field.name}={canonical(getattr(model, field.name))!r}\n".encode())
    return digest.hexdigest()[:16]


def _taught(show: ShowCorpus) -> ShowCorpus:
    """A synthetic show with two moderator-taught phrases (the path `add_taught` takes)."""
    phrases = (
        TaughtPhrase(EpisodeRef(1, 4), f"the {plan(show.show_id, 50).terms[2]} was a lie"),
        TaughtPhrase(EpisodeRef(1, 9), "the harbor burns"),
    )
    return dataclasses.replace(show, taught=phrases)


def synthetic_shows() -> list[ShowCorpus]:
    """A few synthetic shows (bench/synthetic.py), one with taught phrases."""
    shows = [corpus(plan(show_id, 50), 40) for show_id in (1, 2, 17)]
    shows.append(_taught(corpus(plan(5, 20), 40)))
    return shows


def test_sample_models_are_unchanged(sample: list[ShowCorpus]) -> None:
    digests = {show.title: model_digest(build_model(show)) for show in sample}
    assert digests == SAMPLE_DIGESTS


def test_synthetic_models_are_unchanged() -> None:
    digests = {show.show_id: model_digest(build_model(show)) for show in synthetic_shows()}
    assert digests == SYNTHETIC_DIGESTS
