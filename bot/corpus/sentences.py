"""Split a review into paragraphs and sentences, and tell narration from opinion."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sentencex import segment

SentenceKind = Literal["narration", "opinion", "verdict"]

_MARKDOWN_PREFIX = re.compile(r"^\s{0,3}(?:#{1,6}\s+|[-*+]\s+|>\s?|\d+[.)]\s+)")
_MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_VERDICT = re.compile(r"^\s*(?:rating|verdict|score|grade)\b\s*:", re.I)
_OPINION_WORDS = frozenset(
    """
    i i'm i've me my we we're our us you reader viewers audience critic review
    episode episodes season show series finale premiere pilot hour writers writing
    script scripted director directed direction directing performance performances
    cast acting actor actress plays played portrayal turn score soundtrack music
    cinematography camera shot shots editing pacing paced tone atmosphere dialogue
    best worst better weaker stronger strong weak great good bad excellent brilliant
    terrific superb stunning gorgeous lovely clumsy uneven tedious dull boring slow
    compelling gripping riveting tense funny hilarious charming cozy bleak moving
    satisfying disappointing frustrating predictable memorable forgettable
    favorite favourite standout masterful masterclass deserves worth feels felt
    arguably honestly frankly perhaps overall ultimately verdict rating highlight
    """.split()
)
_WORD = re.compile(r"[a-z']+")


@dataclass(frozen=True, slots=True)
class SplitSentence:
    """One sentence with where it stood and what kind of sentence it is."""

    paragraph: int
    position: int
    text: str
    kind: SentenceKind


def plain_text(markdown: str) -> str:
    """Strip the Markdown that matters for reading: headings, list marks, emphasis, links."""
    text = _MARKDOWN_PREFIX.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    return _MARKDOWN_EMPHASIS.sub(r"\2", text).strip()


def paragraphs(body: str) -> list[str]:
    """Blank-line separated paragraphs, Markdown stripped, empty ones dropped."""
    blocks = re.split(r"\n\s*\n", body.replace("\r\n", "\n"))
    result = []
    for block in blocks:
        lines = [plain_text(line) for line in block.splitlines()]
        joined = " ".join(line for line in lines if line)
        if joined:
            result.append(joined)
    return result


def classify(sentence: str) -> SentenceKind:
    """Verdict for rating lines, opinion when critic's words dominate, else narration."""
    if _VERDICT.match(sentence):
        return "verdict"
    words = _WORD.findall(sentence.lower())
    if not words:
        return "narration"
    opinion = sum(1 for word in words if word in _OPINION_WORDS)
    return "opinion" if opinion >= 2 or opinion / len(words) >= 0.12 else "narration"


def split_sentences(body: str) -> list[SplitSentence]:
    """Every sentence of the body in order, with its paragraph and kind."""
    result: list[SplitSentence] = []
    for paragraph_index, paragraph in enumerate(paragraphs(body)):
        for raw in segment("en", paragraph):
            text = raw.strip()
            if text:
                result.append(SplitSentence(paragraph_index, len(result), text, classify(text)))
    return result
