"""How common a word is in English (wordfreq's Zipf scale): a plot name or an everyday word."""

from __future__ import annotations

import functools

from wordfreq import zipf_frequency

COMMON_ZIPF = 4.5  # about once in 30,000 words of English: 'trainer', 'raid', 'tv' and up


@functools.lru_cache(maxsize=65_536)
def zipf(word: str) -> float:
    """The word's Zipf frequency in English (0: unknown, 3: rare, 6+: very common)."""
    return float(zipf_frequency(word, "en"))


def everyday(word: str) -> bool:
    """Whether the word is common English, so naming it says little about a show."""
    return zipf(word) >= COMMON_ZIPF
