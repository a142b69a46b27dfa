"""Rewrite idioms into event tokens, running the idiom patterns only where one can start.

Every idiom pattern starts a match with one of a few words ('walks free' with walk, walks or
walked). Those first words are read off the parsed patterns once. A text containing none of
them is returned as it is (most chat); one containing a single one runs only the patterns that
start with it (compiled once per word), and any other the full alternation. Each alternation
first checks that one of its first words starts at the position (a trie of the words). The
rewrite is always that of the full alternation: a pattern never matches where none of its
first words starts.
"""

from __future__ import annotations

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
        self.firsts = frozenset(by_word)
        self._regex = self._compile(tuple(range(len(self.patterns))), self.firsts)
        self._single: dict[str, re.Pattern[str]] = {}  # by first word, compiled when met

    def _compile(self, numbers: tuple[int, ...], firsts: Iterable[str]) -> re.Pattern[str]:
        """The alternation of these patterns, tried only where one of `firsts` starts."""
        alternation = "|".join(rf"\b(?P<p{n}>{self.patterns[n]})\b" for n in numbers)
        if self.always:  # some pattern's first words are unknown: try every position
            return re.compile(alternation)
        return re.compile(rf"\b(?={trie_pattern(firsts)}\b)(?:{alternation})")

    def _for(self, runs: list[str]) -> re.Pattern[str] | None:
        """The regex to run on a text with these `\\w+` runs (None: no idiom can start)."""
        if self.always:
            return self._regex
        found = self.firsts.intersection(runs)
        if len(found) != 1:
            return self._regex if found else None
        (word,) = found  # most texts: only the patterns starting with this word can match
        regex = self._single.get(word)
        if regex is None:
            regex = self._single[word] = self._compile(self.by_word[word], found)
        return regex

    def rewrites(self, folded: str, runs: list[str]) -> bool:
        """Whether `apply` changes a text whose `\\w+` runs are `runs`."""
        if not self.always and self.firsts.isdisjoint(runs):
            return False  # no idiom can start anywhere: most chat
        regex = self._for(runs)
        return regex is not None and regex.search(folded) is not None

    def apply(self, folded: str) -> str:
        """The text with each idiom replaced by its event token (' evdeath ')."""
        regex = self._for(_TOKEN.findall(folded))
        return regex.sub(self._token, folded) if regex else folded

    def _token(self, match: re.Match[str]) -> str:
        return self.tokens[match.lastgroup or ""]


def trie_pattern(words: Iterable[str]) -> str:
    """A regex for any of the literal words, as a trie: 'i (?:bet|hope)' tries 'i ' once."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict[str, dict]) -> str:
        options = [re.escape(char) + branch(node[char]) for char in sorted(node) if char]
        if not options:
            return ""
        body = options[0] if len(options) == 1 else f"(?:{'|'.join(options)})"
        return f"(?:{body})?" if "" in node else body

    return f"(?:{branch(root)})"


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
