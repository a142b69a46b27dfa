"""The labelled messages disguised the ways Discord still shows as plain words, re-checked.

Run: python -m bench.evasions

Each of the 480 labelled messages of `bench/spoiler_eval/` is rewritten by every disguise
below (deterministically, the same way for every show) and checked again. A disguise the
engine reads through keeps the plain row's figures; false flags must not rise either. The
disguises are generic: none was chosen by looking at a show's messages.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from bench.sample import sample_corpora
from bench.spoilers import HEADER, load_cases, tally
from bot.guard.engine import SpoilerIndex

# Latin letters and a Cyrillic letter drawn the same (Unicode's confusables data says so)
CYRILLIC = dict(zip("aceiopsxy", "асеіорѕху", strict=True))
_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def _every_other_letter(text: str, insert: str) -> str:
    return "".join(ch + insert if ch.isalpha() and i % 2 else ch for i, ch in enumerate(text))


def _cyrillic(text: str) -> str:
    return "".join(CYRILLIC.get(ch, ch) if i % 2 else ch for i, ch in enumerate(text))


def _reversed(text: str) -> str:
    return "\u202e" + text[::-1] + "\u202c"


def _spelled(text: str, separator: str) -> str:
    rng = random.Random(text)
    words = list(_WORD.finditer(text))
    if not words:
        return text
    word = rng.choice(words)
    return text[: word.start()] + separator.join(word[0]) + text[word.end() :]


DISGUISES: dict[str, Callable[[str], str]] = {
    "plain": lambda text: text,
    "zero-width space": lambda text: _every_other_letter(text, "\u200b"),
    "soft hyphen": lambda text: _every_other_letter(text, "\u00ad"),
    "right-to-left override": _reversed,
    "Cyrillic look-alikes": _cyrillic,
    "one word spelled out": lambda text: _spelled(text, " "),
    "one word dotted": lambda text: _spelled(text, "."),
}


def main() -> None:
    """Print precision, recall, false flags and exact episode for every disguise."""
    corpora = sample_corpora()
    index = SpoilerIndex.build(corpora)
    shows = {corpus.title: corpus.show_id for corpus in corpora}
    cases = load_cases()
    print(f"{len(cases)} labelled messages, each disguised as below\n{HEADER}")
    for name, disguise in DISGUISES.items():
        pairs = []
        for case in cases:
            verdict = index.check(disguise(case.text), shows[case.show], case.progress)
            pairs.append((case, verdict))
        print(f"{name:28s} {tally(pairs).row()}")


if __name__ == "__main__":
    main()
