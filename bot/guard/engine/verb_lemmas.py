"""The verb a word form belongs to, from lemminflect's lookup table, read without lemminflect.

`lemminflect.getAllLemmas(word, upos="VERB")` imports numpy (for its out-of-vocabulary model)
and loads the whole table, every part of speech, on first use: 0.4 s of a command that checks
a few messages. The engine asks only about lower-case words as verbs, so this reads the verb
rows of the same files (a test holds the answers equal to lemminflect's for every word).
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import re
from pathlib import Path

_VERB_ROW = re.compile(r"^([^,\n]*),verb,([^,/\n]*)", re.M)  # word,category,lemma[/lemma…]
_VERB_OVERRIDE = re.compile(r"^([^,#\n]*),VERB,([^,\n]*)$", re.M)  # word,UPOS,lemma


def lemminflect_resources() -> Path:
    """The folder of lemminflect's data files (found without importing the package)."""
    spec = importlib.util.find_spec("lemminflect")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("lemminflect is not installed", name="lemminflect")
    return Path(next(iter(spec.submodule_search_locations))) / "resources"


@functools.cache
def _verbs() -> dict[str, str]:
    folder = lemminflect_resources()
    with gzip.open(folder / "lemma_lu.csv.gz", "rt", encoding="utf-8") as handle:
        verbs = dict(_VERB_ROW.findall(handle.read()))
    overrides = (folder / "lemma_overrides.csv").read_text(encoding="utf-8")
    verbs.update(_VERB_OVERRIDE.findall(overrides))
    return verbs


def verb_lemma(word: str) -> str | None:
    """The first verb lemminflect lists for a lower-case `word` (None: not a known verb form)."""
    return _verbs().get(word)
