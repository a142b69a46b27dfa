"""Turn chat messages and corpus sentences into comparable word tokens."""

from __future__ import annotations

import functools
import re
import unicodedata

from bot.guard.engine.idioms import Idioms
from bot.guard.engine.lexicon import CLIPPED, NUMBER_WORDS, PHRASES, STOPWORDS
from bot.guard.engine.normalise import join_spelled, visible_text
from bot.guard.engine.verb_lemmas import verb_lemma
from bot.guard.markdown import without_hidden

MAX_MESSAGE_CHARS = 4000

_URL = re.compile(r"(?:https?://|www\.)\S+|<https?://[^>]*>", re.I)
_DISCORD_TOKEN = re.compile(r"<(?:@[!&]?|#|a?:\w+:)\d+>|<t:\d+(?::\w)?>")
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_FENCE = re.compile(r"```[a-zA-Z0-9_+-]*\n?")
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": " ", "ʼ": "'"})
_IDIOMS = Idioms(PHRASES)
_NUMBERS = frozenset(NUMBER_WORDS)
_KEPT = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_SPACED = "".join(chr(code) if chr(code) in _KEPT else " " for code in range(128))  # ASCII only


def clean_message(text: str) -> str:
    """Drop what a reader does not see as plain words: ||spoiler|| text, URLs, mentions.

    Code blocks stay: people read them, so a spoiler inside one is still a spoiler.
    """
    if "||" in text:  # read as Discord shows it, whole: escaped pipes and code hide nothing
        text = without_hidden(text)
    text = text[:MAX_MESSAGE_CHARS]
    if "](" in text:
        text = _MARKDOWN_LINK.sub(r"\1", text)
    lowered = text.lower()
    if "http" in lowered or "www." in lowered:
        text = _URL.sub(" ", text)
    if "<" in text:
        text = _DISCORD_TOKEN.sub(" ", text)
    return _FENCE.sub(" ", text) if "```" in text else text


def fold_message(text: str) -> str:
    """The message as a reader sees it, cleaned and folded; at once for plain ASCII chat.

    Markup is read on the raw text, as Discord does (a zero-width character inside `||`
    breaks the tag), then the text is normalised (`visible_text`) and folded, and letters
    spelled out one by one are joined (`join_spelled`).
    """
    lowered = text.lower()
    if (
        len(text) <= MAX_MESSAGE_CHARS
        and text.isascii()
        and "|" not in text
        and "](" not in text
        and "<" not in text
        and "`" not in text
        and "http" not in lowered
        and "www." not in lowered
    ):
        return join_spelled(lowered)  # nothing to clean: lower-case, join spelled-out letters
    return join_spelled(fold(visible_text(clean_message(text))))


def fold(text: str) -> str:
    """Lower-case, strip accents and unify apostrophes."""
    if text.isascii():
        return text.replace("`", " ").lower()
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def apply_phrases(folded: str) -> str:
    """Rewrite multi-word idioms ('doesn't make it', 'walks free') into single event tokens."""
    return _IDIOMS.apply(folded)


_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70}
_UNITS = {w: i for i, w in enumerate("one two three four five six seven eight nine".split(), 1)}
_COMPOUND_NUMBER = re.compile(rf"\b({'|'.join(_TENS)})[- ]({'|'.join(_UNITS)})\b")


def _number(match: re.Match[str]) -> str:
    return str(_TENS[match[1]] + _UNITS[match[2]])


def simple_words(folded: str) -> list[str] | None:
    """`raw_words` of a folded text that no idiom or number rewrites (else None).

    For a text that is ASCII without an underscore, its `\\w+` runs are its word tokens split
    at apostrophes, so whether an idiom can apply is known from them, and the words of all its
    clauses are the tokens with possessives and apostrophes dropped.
    """
    if not folded.isascii() or "_" in folded:
        return None
    if "'" in folded:
        tokens = WORD.findall(folded)
        runs = "'".join(tokens).split("'")  # no token starts or ends with an apostrophe
        words = []
        for token in tokens:
            if "'" in token:
                token = plain_word(token)
                if not token:
                    continue
            words.append(token)
    else:  # the runs of letters and digits: what `WORD` finds, without the regex
        runs = words = folded.translate(_SPACED).split()
    if not _NUMBERS.isdisjoint(words):
        return None
    if (_IDIOMS.always or not _IDIOMS.firsts.isdisjoint(runs)) and _IDIOMS.rewrites(folded, runs):
        return None
    return words


def letter_runs(text: str) -> list[str]:
    """The runs of letters and digits of an ASCII text (what `WORD` finds there without "'")."""
    return text.translate(_SPACED).split()


def plain_word(token: str) -> str:
    """A word token without its possessive and apostrophes ('rawls's' → 'rawls')."""
    return (token[:-2] if token.endswith("'s") else token).replace("'", "")


def raw_words(folded: str) -> list[str]:
    """Words with possessives removed and apostrophes dropped ('rawls's' → 'rawls')."""
    if "ty" in folded and ("-" in folded or " " in folded):  # every tens word ends in -ty
        folded = _COMPOUND_NUMBER.sub(_number, folded)
    found = WORD.findall(folded)
    if "'" not in folded:  # no possessive or apostrophe to drop
        return found if _NUMBERS.isdisjoint(found) else [NUMBER_WORDS.get(w, w) for w in found]
    words = []
    for word in map(plain_word, found):
        if word:
            words.append(NUMBER_WORDS.get(word, word))
    return words


def stem(word: str) -> str:
    """A light suffix stripper so 'arrested', 'arrests' and 'arresting' meet.

    Irregular forms ('hid', 'hidden', 'lying', 'stolen') meet their verb through lemminflect.
    """
    base = irregular(word)
    return strip_suffix(base if base else word)


@functools.lru_cache(maxsize=65_536)
def irregular(word: str) -> str | None:
    """The verb (or clipped word) a form belongs to, when suffix stripping cannot find it."""
    if word in CLIPPED:
        return CLIPPED[word]
    if len(word) < 3 or word.isdigit():
        return None
    lemma = verb_lemma(word)
    if lemma is None or lemma == word or strip_suffix(lemma) == strip_suffix(word):
        return None
    return lemma


def strip_suffix(word: str) -> str:
    """The suffix stripper alone ('arrested' → 'arrest')."""
    if len(word) <= 4 or word.isdigit():
        return word
    if word[-1] not in "sdgy":  # the last letter of every suffix
        return word[:-1] if word[-1] == word[-2] and word[-1] not in "lsz" else word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    return word


_SUFFIXES = (
    ("ies", "y"),
    ("ied", "y"),
    ("ing", ""),
    ("edly", ""),
    ("ed", ""),
    ("es", "e"),
    ("s", ""),
    ("ly", ""),
)


def content_words(text: str) -> list[str]:
    """Folded, idiom-rewritten words with stop words removed (not yet stemmed)."""
    return [w for w in raw_words(apply_phrases(fold(text))) if w not in STOPWORDS]
