"""How common a word is in English (wordfreq's Zipf scale): a plot name or an everyday word."""

from __future__ import annotations

import functools

# Zipf 5 is once in 100,000 words: 'tv', 'mom' and 'god' are that common, 'grace' and 'rose'
# are not.
VERY_COMMON_ZIPF = 5.0


@functools.lru_cache(maxsize=65_536)
def zipf(word: str) -> float:
    """The word's Zipf frequency in English (0: unknown, 3: rare, 6+: very common)."""
    from wordfreq import zipf_frequency  # a fifth of a second to import; checks rarely need it

    return float(zipf_frequency(word, "en"))


def load_word_tables() -> None:
    """Load the word-frequency tables now (a third of a second holding the interpreter lock)."""
    zipf("the")
