"""What a corpus's capitals tell: which words are names, and the roles written beside them.

A show's sentences are split into cased tokens once (`cased`) and both readings use them.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable

from bot.catalog.episodes import EpisodeRef
from bot.guard.engine.analysis import RoleHistory, close_abbreviations
from bot.guard.engine.lexicon import EVENT_WORDS, ROLE_WORDS, STOPWORDS
from bot.guard.engine.text import fold, raw_words
from bot.guard.engine.types import CorpusSentence
from bot.guard.engine.word_rarity import VERY_COMMON_ZIPF, zipf

Cased = tuple[list[str], list[str]]  # a text's cased tokens, and the folded word of each

_CASED = re.compile(r"[A-Za-z][A-Za-z'’-]*|[.:;!?()\"“”]|,")
_BREAK = frozenset('.:;!?()"“”')
_ROLE_WINDOW = 4
_DETERMINERS = frozenset("a an the his her their its our now once formerly".split())


def cased(text: str) -> Cased:
    """A text's cased words and marks ('Dr. Rawls' → 'Dr', 'Rawls'), each with its folded word.

    A token's folded word is '' for a mark, or a token that folds to more or less than one word.
    """
    tokens = _CASED.findall(close_abbreviations(text))
    return tokens, list(map(_name_key, tokens))


def find_names(texts: Iterable[str]) -> frozenset[str]:
    """Words the corpus capitalises mid-sentence and (almost) never writes in lower case."""
    return names_in(map(cased, texts))


def names_in(texts: Iterable[Cased]) -> frozenset[str]:
    """`find_names` of texts already split by `cased`."""
    capital: list[str] = []
    lower: list[str] = []
    for tokens, words in texts:
        pairs = list(zip(tokens, words, strict=True))
        lower += [word for token, word in pairs if word and token[0].islower()]
        last = len(tokens) - 1
        capital += [
            word
            for at, (token, word) in enumerate(pairs)
            if word
            and token[0].isupper()
            and (
                (at > 0 and tokens[at - 1] not in _BREAK)  # mid-sentence
                or (at < last and tokens[at + 1][0].isupper())  # 'First Last' opening one
            )
        ]
    lowered = Counter(lower)
    return frozenset(
        word
        for word, count in Counter(capital).items()
        if lowered[word] * 4 <= count
        and word not in STOPWORDS
        and word not in ROLE_WORDS
        and word not in EVENT_WORDS
        and len(word) >= 2
        and zipf(word) < VERY_COMMON_ZIPF  # 'TV', 'God', 'Mom': everyday words, not names
    )


@functools.lru_cache(maxsize=200_000)
def _name_key(token: str) -> str:
    if token in _BREAK or token == ",":
        return ""
    words = raw_words(fold(token))
    return words[0] if len(words) == 1 else ""


def mine_roles(text: str, names: frozenset[str]) -> dict[str, set[str]]:
    """Roles written next to a name: 'Captain Vic Pearlman', 'his wife Ruth', 'Theo, her bf'."""
    return roles_beside(cased(text), names)


def roles_beside(text: Cased, names: frozenset[str]) -> dict[str, set[str]]:
    """`mine_roles` of a text already split by `cased`."""
    raw, words = text
    tokens = [word or token for token, word in zip(raw, words, strict=True)]
    found: dict[str, set[str]] = {}
    index = 0
    while index < len(tokens):
        if tokens[index] not in names:
            index += 1
            continue
        end = index
        while end < len(tokens) and tokens[end] in names:
            end += 1
        roles = _roles_near(tokens, index, end, _appositive(raw, end))
        for name in tokens[index:end]:
            found.setdefault(name, set()).update(roles)
        index = end
    return found


def _appositive(raw: list[str], end: int) -> bool:
    """Whether ', a …' / ', Josie's …' follows a name (a description, not the next clause)."""
    if end + 1 >= len(raw) or raw[end] != ",":
        return False
    following = raw[end + 1]
    return following.lower() in _DETERMINERS or following.endswith(("'s", "’s"))


def _roles_near(tokens: list[str], start: int, end: int, appositive: bool) -> set[str]:
    left = start - 1
    if left >= 0 and tokens[left] == ",":
        left -= 1
    before = range(left, max(left - _ROLE_WINDOW, -1), -1)
    after = range(end + 1, min(end + 2 + _ROLE_WINDOW, len(tokens)))
    windows = [before, after] if appositive else [before]
    roles: set[str] = set()
    for window in windows:
        for position in window:
            token = tokens[position]
            if token in _BREAK or token == ",":
                break
            if token in ROLE_WORDS:
                roles.add(ROLE_WORDS[token])
    return roles


def role_episodes(sentences: Iterable[CorpusSentence], names: frozenset[str]) -> RoleHistory:
    """For each name, the first episode at which the corpus gives it each role."""
    return roles_since(((s.episode, cased(s.text)) for s in sentences), names)


def roles_since(texts: Iterable[tuple[EpisodeRef, Cased]], names: frozenset[str]) -> RoleHistory:
    """`role_episodes` of sentences already split by `cased`, each with its episode."""
    since: RoleHistory = {}
    for episode, text in texts:
        words = text[1]
        if names.isdisjoint(words) or ROLE_WORDS.keys().isdisjoint(words):
            continue  # no name, or no role word: nothing to find (a lower-case token is its word)
        for name, roles in roles_beside(text, names).items():
            for role in roles:
                since.setdefault(name, {}).setdefault(role, episode)
    return since
