"""Read a message as Discord shows it: invisibles dropped, overrides applied, look-alikes Latin.

A reader sees "rawls dies" whether the text holds zero-width characters or soft hyphens inside
the words, a right-to-left override around the reversed letters, Cyrillic or Greek letters
that look Latin, or the letters spelled out one by one ("r a w l s", "r.a.w.l.s"). The engine
reads what the reader sees.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import unicodedata
from pathlib import Path

# Default_Ignorable_Code_Point (Unicode's DerivedCoreProperties.txt): drawn as nothing; but
# the Hangul fillers, like the blank Braille pattern, show as a blank in Discord: a space.
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\ufe00-\ufe0f\ufeff\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
_BLANKS = re.compile("[\u115f\u1160\u2800\u3164\uffa0]")
_RLO, _PDF, _PDI = "\u202e", "\u202c", "\u2069"
_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO: closed by a PDF
_ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI: closed by a PDI, with all inside
_PARAGRAPH = frozenset("\n\r\u2029\u001c\u001d\u001e\u0085")  # bidi paragraph separators
# Three or more single letters joined by one repeated separator: "r a w l s", "r.a.w.l.s".
_SEP = r"(?: {1,2}|\n|[-.*_/|+~·•] ?)"
_LETTERS = r"(?<![a-z0-9'])[a-z]({_SEP})[a-z]{more}(?![a-z0-9])(\.(?![a-z0-9]))?"
_SPELLED = re.compile(_LETTERS.format(_SEP=_SEP, more=r"(?:\1[a-z])+"))
_SPACES = re.compile(" {2,}")
_ASCII_LETTER = re.compile("[A-Za-z]")
_PAIR = re.compile(_LETTERS.format(_SEP=_SEP, more=""))  # "i t", once a message spells words
# What every such run holds: a separated letter, then a letter ending a word (no lookbehind,
# so the search only tries the positions of a separator: about four times cheaper)
_SPELLED_HINT = re.compile(rf"[ \n\-.*_/|+~·•][a-z]{_SEP}[a-z](?![a-z0-9])")


def visible_text(text: str) -> str:
    """`text` as a reader sees it: overrides applied, invisibles dropped, look-alikes folded."""
    if text.isascii():
        return text
    if _RLO in text:
        text = apply_overrides(text)
    text = unicodedata.normalize("NFKC", _BLANKS.sub(" ", _IGNORABLE.sub("", text)))
    if text.isascii():
        return text
    word, table = _lookalikes()
    return text if table.keys().isdisjoint(text) else word.sub(_fold_word, text)


def join_spelled(folded: str) -> str:
    """Join three or more letters spelled out one by one ("r a w l s", "r.i.p."); "u.s." stays.

    Once a message spells a word out, two letters with the same separator are joined too
    ("m a k e  i t"). A dot closing dotted letters goes with them ("r.i.p. rawls"). Then
    runs of spaces read as one, as a reader reads them ("doesnt  make it").
    """
    if _SPELLED_HINT.search(folded):
        separators: set[str] = set()
        folded = _SPELLED.sub(lambda match: _join(match, separators), folded)
        if separators:
            folded = _PAIR.sub(lambda match: _join(match, separators, separators), folded)
    return _SPACES.sub(" ", folded) if "  " in folded else folded


def _join(match: re.Match[str], used: set[str], only: set[str] | None = None) -> str:
    separator = match[1]
    if only is not None and separator not in only:
        return match[0]
    used.add(separator)
    letters = match[0].removesuffix(match[2] or "")
    closing = "" if match[2] and "." in separator else match[2] or ""
    return letters.replace(separator, "") + closing


def apply_overrides(text: str) -> str:
    """The display order of right-to-left overrides (U+202E … U+202C): their text reversed.

    Embeddings, overrides and isolates nest; a PDF closes the innermost embedding or override,
    a PDI the innermost isolate with all inside it, a line break all. An override's content is
    shown in reverse, nested spans as whole pieces. Other controls never reorder Latin letters.
    """
    frames: list[tuple[str, list[str]]] = [("", [])]
    for ch in text:
        if ch in _EMBEDDINGS or ch in _ISOLATES:
            frames.append((ch, []))
        elif ch == _PDF and frames[-1][0] in _EMBEDDINGS:
            _close(frames)
        elif ch == _PDI and any(kind in _ISOLATES for kind, _ in frames[1:]):
            while frames[-1][0] not in _ISOLATES:
                _close(frames)
            _close(frames)
        elif ch in _PARAGRAPH:
            while len(frames) > 1:
                _close(frames)
            frames[0][1].append(ch)
        else:
            frames[-1][1].append(ch)
    while len(frames) > 1:
        _close(frames)
    return "".join(frames[0][1])


def _close(frames: list[tuple[str, list[str]]]) -> None:
    kind, pieces = frames.pop()
    frames[-1][1].append("".join(reversed(pieces)) if kind == _RLO else "".join(pieces))


def _fold_word(match: re.Match[str]) -> str:
    """A word holding a Latin letter, or only letters that look Latin, as Latin letters."""
    word = match[0]
    table = _lookalikes()[1]
    if not _ASCII_LETTER.search(word):
        for ch in word:
            if not ch.isascii() and ch not in table and _foreign(ch):
                return word  # a word of another alphabet that holds a look-alike letter
    return "".join([table.get(ch, ch) for ch in word])


@functools.cache
def _foreign(ch: str) -> bool:
    """A letter of another alphabet written with spaces between words ('д', 'λ', 'ש')."""
    return (
        ch.isalpha()
        and not unicodedata.name(ch, "").startswith("LATIN")
        and unicodedata.east_asian_width(ch) not in ("W", "F")  # CJK and kana need no spaces
    )


@functools.cache
def _lookalikes() -> tuple[re.Pattern[str], dict[str, str]]:
    """A word pattern, and each character Unicode says looks like Latin letters, to them.

    From Unicode's confusables data as packaged by `confusable-homoglyphs`, for characters
    NFKC leaves alone (it has already turned fullwidth and mathematical letters into Latin
    ones). A capital maps through its lower case when that has a look-alike (Cyrillic 'І' →
    'і' → 'i', where the data's own prototype is 'l'). Words are runs of word characters and
    of the symbols in the table ('∣', '⍳').
    """
    spec = importlib.util.find_spec("confusable_homoglyphs")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the confusable-homoglyphs package is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    data = json.loads((folder / "confusables.json").read_text(encoding="utf-8"))
    latin: dict[str, str] = {}
    for ch, glyphs in data.items():
        if len(ch) == 1 and not ch.isascii() and unicodedata.normalize("NFKC", ch) == ch:
            for glyph in glyphs:
                target = glyph["c"].strip("\u200e\u200f")
                if target.isascii() and target.isalpha():
                    latin[ch] = target.lower()
                    break
    table = {ch: latin.get(ch.lower(), target) for ch, target in latin.items()}
    symbols = re.escape("".join(sorted(ch for ch in table if not re.match(r"\w", ch))))
    return re.compile(rf"[\w{symbols}]+"), table


def lookalike_table() -> dict[str, str]:
    """The look-alike table: each non-ASCII character to the Latin letters it looks like."""
    return dict(_lookalikes()[1])
