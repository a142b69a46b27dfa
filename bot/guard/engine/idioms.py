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

from bot.guard.engine.idiom_starts import first_words, leading_words

_TOKEN = re.compile(r"\w+")
_Trie = dict[str, "_Trie"]


class Idioms:
    """A set of (regex, token) idioms applied as one leftmost-first alternation."""

    def __init__(self, phrases: Iterable[tuple[str, str]]) -> None:
        pairs = tuple(phrases)
        self.patterns = [pattern for pattern, _ in pairs]
        self.tokens = {f"p{number}": f" {token} " for number, (_, token) in enumerate(pairs)}
        by_word: dict[str, list[int]] = {}
        always: list[int] = []
        seconds: dict[str, set[str] | None] = {}
        for number, pattern in enumerate(self.patterns):
            words = first_words(pattern)
            if words is None:
                always.append(number)
                continue
            for word in words:
                by_word.setdefault(word, []).append(number)
            _add_seconds(seconds, words, leading_words(pattern, 2))
        self.always = tuple(always)
        self.seconds = {
            w: None if after is None else frozenset(after) for w, after in seconds.items()
        }
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
        if not self.always and (self.firsts.isdisjoint(runs) or not self._may_start(runs)):
            return False  # no idiom can start anywhere: most chat
        regex = self._for(runs)
        return regex is not None and regex.search(folded) is not None

    def _may_start(self, runs: list[str]) -> bool:
        """Whether some idiom's first word in `runs` is followed by a word it can go on with."""
        seconds = self.seconds
        last = len(runs) - 1
        for at, run in enumerate(runs):  # a plain loop: this runs for most chat messages
            if run in seconds:
                following = seconds[run]
                if following is None or (at < last and runs[at + 1] in following):
                    return True
        return False

    def apply(self, folded: str) -> str:
        """The text with each idiom replaced by its event token (' evdeath ')."""
        regex = self._for(_TOKEN.findall(folded))
        return regex.sub(self._token, folded) if regex else folded

    def _token(self, match: re.Match[str]) -> str:
        return self.tokens[match.lastgroup or ""]


def trie_pattern(words: Iterable[str]) -> str:
    """A regex for any of the literal words, as a trie: 'i (?:bet|hope)' tries 'i ' once."""
    root: _Trie = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: _Trie) -> str:
        options = [re.escape(char) + branch(node[char]) for char in sorted(node) if char]
        if not options:
            return ""
        body = options[0] if len(options) == 1 else f"(?:{'|'.join(options)})"
        return f"(?:{body})?" if "" in node else body

    return f"(?:{branch(root)})"


def _add_seconds(
    seconds: dict[str, set[str] | None],
    firsts: frozenset[str],
    pairs: frozenset[tuple[str, ...]] | None,
) -> None:
    """Record which words can follow each first word of a pattern (None: any, or unsure)."""
    if pairs is None:
        pairs = frozenset((word,) for word in firsts)
    for pair in pairs:
        if len(pair) < 2:  # a match can end after its first word
            seconds[pair[0]] = None
    for pair in pairs:
        if len(pair) == 2:
            after = seconds.setdefault(pair[0], set())
            if after is not None:
                after.add(pair[1])
