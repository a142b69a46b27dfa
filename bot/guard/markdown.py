"""Reading text the way Discord's markdown shows it: which characters are hidden by spoilers.

Discord parses messages with simple-markdown rules, left to right: at each position the first
rule that matches takes its text, and what it captured is parsed again on its own (so nothing
inside a capture can reach past it). The rules that decide what a spoiler span covers:

* `||…||` opens at `||` and closes at the next `||` (its text is parsed again, inside);
* `\\x` shows a punctuation character x as itself;
* code blocks (```…```) and code spans (`…`) show their text as is, pipes included;
* links: bare URLs (`https://…`) run to the next whitespace and swallow `|`; `<scheme:/…>`;
  masked links `[text](target)`; mentions, emoji and timestamps (`<@1>`, `<:a:1>`, `<t:1>`);
* emphasis (`*`, `**`, `__`, `~~`) captures its text, so `**a ||b**` opens no spoiler;
* block quotes, headings and list items are parsed line by line.

Where clients or versions may differ (does `|||` close at its first or last pair, are masked
links and other URL schemes links, do block lines cut spans), `hidden_everywhere` reads the text
every way and calls a character hidden only if every reading hides it: what the author may not
have hidden is read as plain text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

_CODE_BLOCK = re.compile(r"```(?:[a-z0-9_+\-.#]+?\n+)?\n*([\s\S]+?)\n*```", re.I)
_INLINE_CODE = re.compile(r"(`+)([\s\S]*?[^`])\1(?!`)")
_SPOILER_FIRST = re.compile(r"\|\|([\s\S]+?)\|\|")
_SPOILER_LAST = re.compile(r"\|\|([\s\S]+?)\|\|(?!\|)")
_ESCAPE = re.compile(r"\\[^0-9A-Za-z\s]")
TOKEN = re.compile(
    r"<(?:@[!&]?\d{1,20}|#\d{1,20}|a?:\w{1,32}:\d{1,20}|t:-?\d{1,13}(?::[tTdDfFR])?)>"
)
"""A mention, custom emoji or timestamp: shown as one unit."""
_AUTOLINK = re.compile(r"<([^: >]+:/[^ >]+)>")
_URL_WEB = re.compile(r"https?://[^\s<]+[^<.,:;\"')\]\s]")
_URL_ANY = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s<]+[^<.,:;\"')\]\s]")
_LINK_TARGET = re.compile(r"\]\(\s*<?(?:\([^)]*\)|[^\s\\]|\\.)*?>?(?:\s+['\"][\s\S]*?['\"])?\s*\)")
"""After a masked link's text: `](target "title")`."""
_STRONG = re.compile(r"\*\*((?:\\[\s\S]|[^\\])+?)\*\*(?!\*)")
_UNDERLINE = re.compile(r"__((?:\\[\s\S]|[^\\])+?)__(?!_)")
_EM = re.compile(
    r"_((?:__|\\[\s\S]|[^\\_])+?)_\b"
    r"|\*(?=\S)((?:\*\*|\\[\s\S]|\s+(?:\\[\s\S]|[^\s*\\]|\*\*)|[^\s*\\])+?)\*(?!\*)"
)
_STRIKE = re.compile(r"~~([\s\S]+?)~~(?!_)")
_TEXT = re.compile(r"[\s\S]+?(?=[^0-9A-Za-z\s]|\n|$)")
_MAX_DEPTH = 40
_MAX_LINK_TARGETS = 32
BLOCK_MARKER = re.compile(r"[ \t]*(?:[>#*+\-]|\d+[.)])")
"""What starts a block quote, heading or list item at the start of a line."""


@dataclass(frozen=True, slots=True)
class Rules:
    """One way of reading Discord's markdown where readings may differ."""

    spoiler_closes_last: bool = False  # `||a|||`: closes at the last pair of a pipe run
    block_lines: bool = False  # quote, heading and list lines are read on their own
    masked_links: bool = True  # `[text](target)` is a link
    any_scheme: bool = True  # `steam://…` is a link like `https://…`


DISCORD = Rules()
"""The reading closest to Discord's client as far as its rules are public."""
READINGS = tuple(Rules(*flags) for flags in itertools.product((False, True), repeat=4))
"""Every combination of the choices `Rules` models."""


def readings_for(text: str) -> list[Rules]:
    """The readings that can differ on `text` (a choice it gives no occasion for is left out)."""
    lines = text.splitlines()
    choices = (
        (False, True) if "|||" in text else (False,),
        (False, True) if len(lines) > 1 and any(map(BLOCK_MARKER.match, lines)) else (False,),
        (True, False) if "](" in text else (True,),
        (True, False) if "://" in text else (True,),
    )
    return [Rules(*flags) for flags in itertools.product(*choices)]


@dataclass(frozen=True, slots=True)
class Reading:
    """Per character of `text`: `shown` (not markup) and `hidden` (inside a spoiler span)."""

    text: str
    shown: tuple[bool, ...]
    hidden: tuple[bool, ...]
    spans: tuple[tuple[int, int], ...]
    """Outermost spoiler spans as (start, end), their `||` delimiters included."""

    def span_text(self, start: int, end: int) -> str:
        """The characters shown between `start` and `end`."""
        return "".join(self.text[i] for i in range(start, end) if self.shown[i])


class _TooHard(Exception):
    """The text would take too long to read (many link targets to try)."""


@dataclass(slots=True)
class _Memo:
    """Matches shared by the readings of one text, and a budget for the costly ones."""

    matches: dict[tuple[int, int, int], re.Match[str] | None] = field(default_factory=dict)
    links: dict[int, list[tuple[int, int] | None]] = field(default_factory=dict)
    targets_left: int = _MAX_LINK_TARGETS

    def match(self, pattern: re.Pattern[str], text: str, at: int, end: int) -> re.Match[str] | None:
        """`pattern.match(text, at, end)`, remembered."""
        if pattern not in _COSTLY:
            return pattern.match(text, at, end)
        key = (id(pattern), at, end)
        if key not in self.matches:
            if pattern is _LINK_TARGET:
                self.targets_left -= 1
                if self.targets_left < 0:
                    raise _TooHard
            self.matches[key] = pattern.match(text, at, end)
        return self.matches[key]


@dataclass(slots=True)
class _Reader:
    text: str
    rules: Rules
    memo: _Memo
    shown: list[bool] = field(default_factory=list)
    hidden: list[bool] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    depth: int = 0

    def read(self) -> Reading:
        self.shown = [False] * len(self.text)
        self.hidden = [False] * len(self.text)
        try:
            for start, end in self._blocks():
                self._parse(start, end, hidden=False)
        except _TooHard:  # cannot tell what is hidden: nothing is
            return Reading(self.text, (True,) * len(self.text), (False,) * len(self.text), ())
        return Reading(self.text, tuple(self.shown), tuple(self.hidden), tuple(self.spans))

    def _match(self, pattern: re.Pattern[str], at: int, end: int) -> re.Match[str] | None:
        return self.memo.match(pattern, self.text, at, end)

    def _blocks(self) -> list[tuple[int, int]]:
        """The stretches parsed on their own: the whole text, or cut around block lines."""
        if not self.rules.block_lines:
            return [(0, len(self.text))]
        blocks: list[tuple[int, int]] = []
        start = position = 0
        for line in self.text.splitlines(keepends=True):
            if BLOCK_MARKER.match(line):
                blocks += [(start, position)] if position > start else []
                blocks.append((position, position + len(line)))
                start = position + len(line)
            position += len(line)
        return blocks + ([(start, position)] if position > start else [])

    def _mark(self, start: int, end: int, *, shown: bool, hidden: bool) -> None:
        for i in range(start, end):
            self.shown[i], self.hidden[i] = shown, hidden

    def _parse(self, start: int, end: int, *, hidden: bool) -> None:
        if self.depth >= _MAX_DEPTH:  # deeper nesting is read as plain text
            self._mark(start, end, shown=True, hidden=hidden)
            return
        self.depth += 1
        position = start
        while position < end:
            position = self._step(position, end, hidden)
        self.depth -= 1

    def _step(self, at: int, end: int, hidden: bool) -> int:
        """Read one construct at `at`; return where the next one starts."""
        char = self.text[at]
        handler = _HANDLERS.get(char)
        if handler is not None:
            after = handler(self, at, end, hidden)
            if after is not None:
                return after
        url = self._url(at, end)
        if url is not None:
            self._mark(at, url, shown=True, hidden=hidden)
            return url
        stop = self._text_end(at, end)
        self._mark(at, stop, shown=True, hidden=hidden)
        return stop

    def _url(self, at: int, end: int) -> int | None:
        """Where a bare URL starting at `at` ends (None if none starts there)."""
        if not self.text[at].isalpha():
            return None
        url = self._match((_URL_ANY if self.rules.any_scheme else _URL_WEB), at, end)
        return url.end() if url else None

    def _text_end(self, at: int, end: int) -> int:
        """Plain text runs to the next punctuation or line, or to where a URL starts."""
        text = self._match(_TEXT, at, end)
        stop = text.end() if text else at + 1
        if self.text.startswith(":/", stop):
            for start in range(at + 1, stop):
                if self._url(start, end) is not None:
                    return start
        return stop

    def _wrapped(self, at: int, match: re.Match[str], group: int, hidden: bool) -> int:
        """Delimiters are markup; the captured group is read again on its own."""
        self._mark(at, match.end(), shown=False, hidden=hidden)
        self._parse(match.start(group), match.end(group), hidden=hidden)
        return match.end()

    def _backtick(self, at: int, end: int, hidden: bool) -> int | None:
        match = self._match(_CODE_BLOCK, at, end) or self._match(_INLINE_CODE, at, end)
        if not match:
            return None
        group = match.lastindex or 0
        self._mark(at, match.end(), shown=False, hidden=hidden)
        self._mark(match.start(group), match.end(group), shown=True, hidden=hidden)
        return match.end()

    def _pipe(self, at: int, end: int, hidden: bool) -> int | None:
        pattern = _SPOILER_LAST if self.rules.spoiler_closes_last else _SPOILER_FIRST
        match = self._match(pattern, at, end)
        if not match:
            return None
        if not hidden:
            self.spans.append((at, match.end()))
        self._mark(at, match.end(), shown=False, hidden=hidden)
        self._parse(match.start(1), match.end(1), hidden=True)
        return match.end()

    def _backslash(self, at: int, end: int, hidden: bool) -> int | None:
        if not self._match(_ESCAPE, at, end):
            return None
        self._mark(at, at + 1, shown=False, hidden=hidden)
        self._mark(at + 1, at + 2, shown=True, hidden=hidden)
        return at + 2

    def _angle(self, at: int, end: int, hidden: bool) -> int | None:
        token = self._match(TOKEN, at, end)
        if token:
            self._mark(at, token.end(), shown=True, hidden=hidden)
            return token.end()
        link = self._match(_AUTOLINK, at, end)
        if not link:
            return None
        self._mark(at, link.end(), shown=False, hidden=hidden)
        self._mark(link.start(1), link.end(1), shown=True, hidden=hidden)
        return link.end()

    def _bracket(self, at: int, end: int, hidden: bool) -> int | None:
        if not self.rules.masked_links:
            return None
        if end not in self.memo.links:
            self.memo.links[end] = link_ends(self.text, end, self.memo)
        found = self.memo.links[end][at + 1]
        if found is None:
            return None
        bracket, stop = found
        self._mark(at, stop, shown=False, hidden=hidden)
        self._parse(at + 1, bracket, hidden=hidden)
        return stop

    def _emphasis(self, at: int, end: int, hidden: bool) -> int | None:
        """`*`, `_`, `**`, `__`: the longest of them wins, as simple-markdown's quality says."""
        found = [
            (len(match[0]) + bonus, match)
            for pattern, bonus in ((_EM, 0.2), (_STRONG, 0.1), (_UNDERLINE, 0.1))
            if (match := self._match(pattern, at, end))
        ]
        if not found:
            return None
        _, match = max(found, key=lambda item: item[0])
        return self._wrapped(at, match, match.lastindex or 0, hidden)

    def _tilde(self, at: int, end: int, hidden: bool) -> int | None:
        match = self._match(_STRIKE, at, end)
        return self._wrapped(at, match, 1, hidden) if match else None


def link_ends(text: str, end: int, memo: _Memo) -> list[tuple[int, int] | None]:
    """Per position p: where a masked link whose text starts at p ends, as (`]`, end), or None.

    That is simple-markdown's `[inside](target)` regex, computed right to left in linear time:
    from any position the regex's walk through `inside` is forced (`[…]` pairs, other
    characters, a `]` with another `]` ahead before any `[`), and it backtracks to the last
    `]` on that walk where a target follows.
    """
    best: list[tuple[int, int] | None] = [None] * (end + 2)
    last_paren = text.rfind(")", 0, end)  # a target ends with `)`: none after, no link
    next_open = next_close = end  # the first `[` / `]` after the position being looked at
    for p in range(end - 1, -1, -1):
        char = text[p]
        if char == "[":
            best[p] = best[next_close + 1] if next_close < end else None
            next_open = p
        elif char == "]":
            deeper = best[p + 1] if next_close < next_open else None
            target = None if deeper or p > last_paren else memo.match(_LINK_TARGET, text, p, end)
            best[p] = deeper or ((p, target.end()) if target else None)
            next_close = p
        else:
            best[p] = best[p + 1]
    return best


_COSTLY = frozenset(
    {_LINK_TARGET, _AUTOLINK, _CODE_BLOCK, _INLINE_CODE, _SPOILER_FIRST, _SPOILER_LAST}
    | {_STRONG, _UNDERLINE, _EM, _STRIKE}
)

_HANDLERS = {
    "`": _Reader._backtick,
    "|": _Reader._pipe,
    "\\": _Reader._backslash,
    "<": _Reader._angle,
    "[": _Reader._bracket,
    "*": _Reader._emphasis,
    "_": _Reader._emphasis,
    "~": _Reader._tilde,
}


def read(text: str, rules: Rules = DISCORD, memo: _Memo | None = None) -> Reading:
    """Read `text` as Discord's markdown under one set of `rules` (nothing hidden if too hard)."""
    return _Reader(text, rules, memo or _Memo()).read()


def hidden_everywhere(text: str) -> list[bool]:
    """Per character: hidden by a spoiler span under every reading (text without pipes: none)."""
    if "||" not in text:
        return [False] * len(text)
    memo = _Memo()
    readings = [read(text, rules, memo).hidden for rules in readings_for(text)]
    return [all(flags) for flags in zip(*readings, strict=True)]


def without_hidden(text: str) -> str:
    """`text` with what its author surely hid under spoiler tags blanked (a space per stretch)."""
    hidden = hidden_everywhere(text)
    if not any(hidden):
        return text
    kept: list[str] = []
    for char, is_hidden in zip(text, hidden, strict=True):
        if not is_hidden:
            kept.append(char)
        elif not kept or kept[-1] != " ":
            kept.append(" ")
    return "".join(kept)


def spoilers_in(text: str) -> list[str]:
    """The text shown inside each outermost `||…||` span (escaped pipes and code don't count)."""
    reading = read(text)
    return [reading.span_text(start, end) for start, end in reading.spans]


def hides_from(text: str, start: int) -> bool:
    """Whether everything from `start` to the end is one spoiler span under every reading."""
    memo = _Memo()
    return all((start, len(text)) in read(text, rules, memo).spans for rules in readings_for(text))
