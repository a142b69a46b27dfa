"""Rewrite idioms into event tokens, running only the idiom patterns a text could match.

Every idiom pattern starts a match with one of a few words ('walks free' with walk, walks or
walked). Those first words are read off the parsed patterns once; a text is then checked only
against the patterns whose first word it contains, which gives exactly the rewrite of the full
alternation (a pattern that cannot start anywhere in the text never wins a position) at a
fraction of its cost, since most chat contains no idiom at all.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

try:  # the regex parser moved in Python 3.11; without it every pattern always runs
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - older Pythons
    _sre = _sre_parse = None  # type: ignore[assignment]

State = tuple[str, bool]  # (first word so far, complete)

_TOKEN = re.compile(r"\w+")
_MAX_REPEAT = 8
_MAX_STATES = 512
_MAX_COMBINATIONS = 4096


class _Unknown(Exception):
    """The pattern uses something the first-word reader does not follow."""


class Idioms:
    """A set of (regex, token) idioms applied as one leftmost-first alternation."""

    def __init__(self, phrases: Iterable[tuple[str, str]]) -> None:
        pairs = tuple(phrases)
        self.patterns = [pattern for pattern, _ in pairs]
        self.tokens = {f"p{number}": f" {token} " for number, (_, token) in enumerate(pairs)}
        by_word: dict[str, list[int]] = {}
        always = []
        for number, pattern in enumerate(self.patterns):
            words = first_words(pattern)
            if words is None:
                always.append(number)
                continue
            for word in words:
                by_word.setdefault(word, []).append(number)
        self.always = tuple(always)
        self.by_word = {word: tuple(numbers) for word, numbers in by_word.items()}
        self._regex = functools.lru_cache(maxsize=1024)(self._compile)
        self.firsts = frozenset(self.by_word)
        self._by_firsts: dict[frozenset[str], re.Pattern[str] | None] = {}

    def _compile(self, numbers: tuple[int, ...]) -> re.Pattern[str]:
        return re.compile(
            "|".join(rf"\b(?P<p{number}>{self.patterns[number]})\b" for number in numbers)
        )

    def rewrites(self, folded: str, runs: list[str]) -> bool:
        """Whether `apply` changes a text whose `\\w+` runs are `runs`."""
        if not self.always and self.firsts.isdisjoint(runs):
            return False  # no idiom can start anywhere: most chat
        regex = self._for(self.firsts.intersection(runs))
        return regex is not None and regex.search(folded) is not None

    def apply(self, folded: str) -> str:
        """The text with each idiom replaced by its event token (' evdeath ')."""
        regex = self._for(self.firsts.intersection(_TOKEN.findall(folded)))
        return regex.sub(self._token, folded) if regex else folded

    def _for(self, firsts: frozenset[str]) -> re.Pattern[str] | None:
        """The alternation of the patterns that can start with one of these words (cached).

        Unless some pattern's first words are unknown, it first checks that one of these words
        starts at the position, which is cheaper than trying every pattern there.
        """
        regex = self._by_firsts.get(firsts)
        if regex is None and firsts not in self._by_firsts:
            if len(self._by_firsts) >= _MAX_COMBINATIONS:
                self._by_firsts.clear()
            active = set(self.always)
            for word in firsts:
                active.update(self.by_word[word])
            if active:
                regex = self._regex(tuple(sorted(active)))
                if not self.always:
                    starts = "|".join(map(re.escape, sorted(firsts, key=len, reverse=True)))
                    regex = re.compile(rf"(?=(?:{starts})\b)(?:{regex.pattern})")
            self._by_firsts[firsts] = regex
        return regex

    def _token(self, match: re.Match[str]) -> str:
        return self.tokens[match.lastgroup or ""]


def first_words(pattern: str) -> frozenset[str] | None:
    """Every word (`\\w+` run) a match of `pattern` can start with; None when unsure."""
    if _sre_parse is None:
        return None
    try:
        states = _walk(list(_sre_parse.parse(pattern)), {("", False)})
    except (_Unknown, re.error, TypeError, ValueError):
        return None
    if any(not word for word, _ in states):
        return None  # could start with a non-word character (or match empty)
    return frozenset(word for word, _ in states)


def _walk(items: list, states: set[State]) -> set[State]:
    for op, value in items:
        live = {state for state in states if not state[1]}
        if not live:
            return states
        states = (states - live) | _step(op, value, live)
        if len(states) > _MAX_STATES:
            raise _Unknown("too many first words")
    return states


def _step(op: object, value: object, live: set[State]) -> set[State]:
    if op is _sre.LITERAL:
        char = chr(value)  # type: ignore[arg-type]
        if _TOKEN.fullmatch(char):
            return {(word + char, False) for word, _ in live}
        return {(word, True) for word, _ in live}
    if op is _sre.BRANCH:
        _, branches = value  # type: ignore[misc]
        return set().union(*(_walk(list(branch), live) for branch in branches))
    if op is _sre.SUBPATTERN:
        return _walk(list(value[-1]), live)  # type: ignore[index]
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        low, high, body = value  # type: ignore[misc]
        return _repeat(low, high, list(body), live)
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return live  # zero-width: ignoring it only widens the set of first words
    raise _Unknown(str(op))


def _repeat(low: int, high: int, body: list, live: set[State]) -> set[State]:
    result: set[State] = set()
    current = live
    count = 0
    while True:
        result |= {state for state in current if state[1] or count >= low}
        going = {state for state in current if not state[1]}
        if not going or count == high:
            return result
        if count >= _MAX_REPEAT:
            raise _Unknown("repeat")
        current = _walk(body, going)
        count += 1
