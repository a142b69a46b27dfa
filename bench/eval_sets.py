"""The labelled evaluation sets the spoiler benchmark scores, one show at a time.

Two sets share one layout of labelled rows {"show", "progress", "text", "reveals", "kind"}:
the sample shows (`bot/corpus/sample/` with `bench/spoiler_eval/<slug>.jsonl`) and the
evaluation corpus (`bench/eval_corpus/<slug>/`: show.toml, recaps, `messages.jsonl` and
`everyday.jsonl`, ordinary chat posted in the show's channel). Every show is a fold of the
leave-one-show-out benchmark.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path

from bench.sample import REPO_ROOT, load_sample_corpora
from bot.catalog.episodes import EpisodeRef, parse_code
from bot.corpus import SAMPLE_CORPUS
from bot.guard.engine.types import ShowCorpus

EVAL_DIR = REPO_ROOT / "bench" / "spoiler_eval"
EVAL_CORPUS = REPO_ROOT / "bench" / "eval_corpus"
EVERYDAY = "everyday"


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled message; `file` names its show's fold (the show's slug)."""

    file: str
    show: str
    progress: EpisodeRef
    text: str
    reveals: EpisodeRef | None
    kind: str

    @property
    def spoiler(self) -> bool:
        """The label: it reveals something after the reader's progress."""
        return self.reveals is not None and self.reveals > self.progress

    @property
    def everyday(self) -> bool:
        """Ordinary chat of a busy server posted in the show's channel."""
        return self.kind == EVERYDAY


def read_rows(path: Path, fold: str) -> list[Case]:
    """The labelled rows of one JSON-lines file."""
    cases = []
    for line in path.read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            reveals = parse_code(row["reveals"]) if row.get("reveals") else None
            kind = EVERYDAY if path.stem == EVERYDAY else row.get("kind", "")
            progress = parse_code(row["progress"])
            cases.append(Case(fold, row["show"], progress, row["text"], reveals, kind))
    return cases


def load_cases(folder: Path = EVAL_DIR) -> list[Case]:
    """The sample shows' labelled messages, in file order."""
    cases = []
    for path in sorted(folder.glob("*.jsonl")):
        cases.extend(read_rows(path, path.stem))
    return cases


def eval_folders(folder: Path = EVAL_CORPUS) -> list[Path]:
    """The evaluation corpus's show folders that hold a catalogue and labelled messages."""
    return sorted(
        p
        for p in folder.glob("*")
        if (p / "show.toml").exists() and (p / "messages.jsonl").exists()
    )


def load_sets(with_eval: bool = True) -> tuple[list[ShowCorpus], list[Case]]:
    """Every show's corpus (sample and evaluation corpus) and every labelled message."""
    folders = eval_folders() if with_eval else []
    corpora = asyncio.run(load_sample_corpora([SAMPLE_CORPUS, *folders]))
    cases = load_cases()
    for folder in folders:
        for name in ("messages.jsonl", "everyday.jsonl"):
            if (folder / name).exists():
                cases.extend(read_rows(folder / name, folder.name))
    return corpora, cases
