"""The models `build_model` makes are pinned: a faster build must make exactly the same ones.

Each digest hashes every field of one show's model in a canonical form (arrays and lists in
order, dictionaries and sets sorted, posting sets as hex; sentence texts read through
`model.text`, so storing them compactly changes no digest). The digests were recorded from the
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
    "Ballard": "71e9d6aae6a367ff",
    "Coldwake": "1107ad16dd1e26a1",
    "Low Tide Motel": "0f978e1956066f7d",
    "Permit Pending": "f3a6d48277100470",
    "The Cartographer's Office": "17067c9eddd7b140",
    "The Lantern Keeper": "ee63a50532460a71",
    "The Quiet Ministry": "10388d1372406dfc",
    "Tilly Ferncastle's Flying Shop": "ebfe2aed1f5c237f",
}
SYNTHETIC_DIGESTS = {
    1: "70ec81b05ef83672",
    2: "49325d1e30cc2f3e",
    17: "b01559ef2f29c19a",
    5: "1c5a002f8bd9da71",
}
TEXT_STORAGE = {"sentences", "texts", "line_starts"}
"""How a model stores its sentence texts (changed for memory); the digest reads them as text."""


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
        if field.name not in TEXT_STORAGE:
            digest.update(f"{field.name}={canonical(getattr(model, field.name))!r}\n".encode())
    texts = [model.text(unit) for unit in range(model.corpus_units)]
    digest.update(f"texts={texts!r}\n".encode())
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
