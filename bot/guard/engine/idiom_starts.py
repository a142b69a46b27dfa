"""Read off an idiom pattern which words a match of it can start with.

The idiom patterns use a small part of the regex syntax: literal characters, groups with `|`,
`?`/`*`/`+`/`{m,n}`, lookarounds and `\\b`. This module parses that part itself into a small
tree and walks it. Anything else it cannot see through (a character class, `.`, `\\d`, an
inline flag) makes the answer "unsure" (None) once the walk reaches it, which only means the
idiom is always tried.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

State = tuple[tuple[str, ...], str, bool]  # (words read, word being read, enough words read)

_TOKEN = re.compile(r"\w+")
_COUNTED = re.compile(r"\{(\d*)(,?)(\d*)\}")
_ZERO_WIDTH_ESCAPES = frozenset("bBAZ")
_UNBOUNDED = sys.maxsize
_MAX_REPEAT = 8
_MAX_STATES = 512


class _Unknown(Exception):
    """The pattern uses something the first-word reader does not follow."""


@dataclass(frozen=True, slots=True)
class _Literal:
    char: str


@dataclass(frozen=True, slots=True)
class _Branch:
    options: tuple[Items, ...]


@dataclass(frozen=True, slots=True)
class _Repeat:
    low: int
    high: int
    body: Items


@dataclass(frozen=True, slots=True)
class _ZeroWidth:
    """A lookaround, `\\b`, `^` or `$`: ignoring it only widens the set of leading words."""


@dataclass(frozen=True, slots=True)
class _Opaque:
    """One character the reader cannot name (a class, `.`, `\\d`): unsure once reached."""


Node = _Literal | _Branch | _Repeat | _ZeroWidth | _Opaque
Items = tuple[Node, ...]


def first_words(pattern: str) -> frozenset[str] | None:
    """Every word (`\\w+` run) a match of `pattern` can start with; None when unsure."""
    found = leading_words(pattern, 1)
    return None if found is None else frozenset(words[0] for words in found)


def leading_words(pattern: str, count: int) -> frozenset[tuple[str, ...]] | None:
    """Every run of the first `count` words a match of `pattern` can start with (None: unsure).

    A run is shorter when a match can end before `count` words; lookarounds are skipped, which
    only widens the answer.
    """
    try:
        states = _walk(_Parser(pattern).parse(), {((), "", False)}, count)
    except _Unknown:
        return None
    found = set()
    for words, current, _ in states:
        run = (*words, current) if current else words
        if not run:
            return None  # could match empty
        found.add(run[:count])
    return frozenset(found)


class _Parser:
    """A recursive-descent reader of the regex syntax idiom patterns use."""

    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.at = 0

    def parse(self) -> Items:
        """The whole pattern as a tree (raises _Unknown for syntax it does not read)."""
        items = self._alternation()
        if self.at != len(self.text):
            raise _Unknown(f"unexpected {self.text[self.at]!r}")
        return items

    def _alternation(self) -> Items:
        options = [self._sequence()]
        while self._take("|"):
            options.append(self._sequence())
        return options[0] if len(options) == 1 else (_Branch(tuple(options)),)

    def _sequence(self) -> Items:
        items: list[Node] = []
        while self.at < len(self.text) and self.text[self.at] not in "|)":
            atom = self._atom()
            bounds = self._quantifier()
            items.extend(atom if bounds is None else (_Repeat(*bounds, atom),))
        return tuple(items)

    def _atom(self) -> Items:
        char = self.text[self.at]
        self.at += 1
        if char == "(":
            return self._group()
        if char == "\\":
            return self._escape()
        if char == "[":
            self._skip_class()
            return (_Opaque(),)
        if char in "^$":
            return (_ZeroWidth(),)
        if char in "*+?{":
            raise _Unknown(f"nothing to repeat at {self.at - 1}")
        return (_Opaque(),) if char == "." else (_Literal(char),)

    def _group(self) -> Items:
        lookaround = any(self._take(kind) for kind in ("?=", "?!", "?<=", "?<!"))
        if not lookaround and not self._take("?:") and self._take("?P<"):
            name_end = self.text.find(">", self.at)
            self.at = len(self.text) if name_end < 0 else name_end + 1
        if self.text.startswith("?", self.at):
            raise _Unknown("a group kind the reader does not follow")
        items = self._alternation()
        if not self._take(")"):
            raise _Unknown("unbalanced parenthesis")
        return (_ZeroWidth(),) if lookaround else items

    def _escape(self) -> Items:
        if self.at >= len(self.text):
            raise _Unknown("trailing backslash")
        char = self.text[self.at]
        self.at += 1
        if char in _ZERO_WIDTH_ESCAPES:
            return (_ZeroWidth(),)
        return (_Opaque(),) if char.isalnum() or char == "_" else (_Literal(char),)

    def _skip_class(self) -> None:
        self._take("^")
        self._take("]")  # a ']' first in a class is a member
        while self.at < len(self.text) and self.text[self.at] != "]":
            self.at += 2 if self.text[self.at] == "\\" else 1
        if not self._take("]"):
            raise _Unknown("unterminated character class")

    def _quantifier(self) -> tuple[int, int] | None:
        bounds = self._bounds()
        if bounds is not None and not self._take("?"):
            self._take("+")  # lazy and possessive repeats match the same words
        return bounds

    def _bounds(self) -> tuple[int, int] | None:
        for mark, bounds in (("?", (0, 1)), ("*", (0, _UNBOUNDED)), ("+", (1, _UNBOUNDED))):
            if self._take(mark):
                return bounds
        counted = _COUNTED.match(self.text, self.at)
        if counted is None:
            return None
        self.at = counted.end()
        low, comma, high = counted.groups()
        if not comma:
            return int(low), int(low)
        return int(low or 0), int(high) if high else _UNBOUNDED

    def _take(self, expected: str) -> bool:
        if self.text.startswith(expected, self.at):
            self.at += len(expected)
            return True
        return False


def _walk(items: Items, states: set[State], count: int) -> set[State]:
    for node in items:
        live = {state for state in states if not state[2]}
        if not live:
            return states
        states = (states - live) | _step(node, live, count)
        if len(states) > _MAX_STATES:
            raise _Unknown("too many leading words")
    return states


def _step(node: Node, live: set[State], count: int) -> set[State]:
    if isinstance(node, _Literal):
        return {_read(state, node.char, count) for state in live}
    if isinstance(node, _Branch):
        return set[State]().union(*(_walk(option, live, count) for option in node.options))
    if isinstance(node, _Repeat):
        return _repeat(node, live, count)
    if isinstance(node, _ZeroWidth):
        return live
    raise _Unknown("a character the reader cannot name")


def _read(state: State, char: str, count: int) -> State:
    """One more literal character: it extends the word being read, or ends it."""
    words, current, _ = state
    if _TOKEN.fullmatch(char):
        return words, current + char, False
    if current:
        words = (*words, current)
        return words, "", len(words) >= count
    if not words:
        raise _Unknown("starts with a non-word character")
    return state


def _repeat(node: _Repeat, live: set[State], count: int) -> set[State]:
    result: set[State] = set()
    current = live
    times = 0
    while True:
        result |= {state for state in current if state[2] or times >= node.low}
        going = {state for state in current if not state[2]}
        if not going or times == node.high:
            return result
        if times >= _MAX_REPEAT:
            raise _Unknown("repeat")
        current = _walk(node.body, going, count)
        times += 1
