"""The spoiler index as the corpus grows: built by the piece against the whole-index baseline.

Run: python -m bench.index_growth [--quick] [--sizes 10,100,300,1000] [--episodes 50]

At each size (synthetic shows x episodes x 40 sentences, bench/synthetic.py) every phase runs
in a fresh process, so its memory is that process's own:
- baseline: the whole index built in one process and saved as one pickle (the old path), then
  loaded by a fresh process;
- cold: every show's model built in a worker process pool (one worker per CPU) into an empty
  cache folder, then assembled;
- warm: a fresh process loads every show's model from the folder and assembles the index;
- rebuild: in that process, one show gains a review; only it is rebuilt, then all reassembled.
Corpus generation is not timed (the bot reads the corpus from its database instead).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from bench.synthetic import corpora, corpus, plan
from bot.catalog.episodes import EpisodeRef
from bot.guard.engine.types import CorpusSentence, ShowCorpus

if TYPE_CHECKING:
    from bot.guard.engine.pieces import Assembler
    from bot.guard.index_cache import PieceCache

TARGETS = "1,000 shows: cold ≤ 30 s, warm load ≤ 3 s, one-show rebuild ≤ 0.5 s, RSS ≤ 300 MB"
SENTENCES = 40


def _rss_mb() -> float:
    """This process's resident memory now (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return _peak_mb()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _baseline_build(args: argparse.Namespace, folder: Path) -> dict[str, float]:
    from bot.guard.engine.index import SpoilerIndex

    started, cpu = time.perf_counter(), time.process_time()
    index = SpoilerIndex.build(corpora(args.shows, args.episodes, SENTENCES))
    built, used = time.perf_counter() - started, time.process_time() - cpu
    index.save(folder / "whole.index")
    return {"build_s": built, "cpu_s": used, "peak_mb": _peak_mb()}


def _baseline_load(args: argparse.Namespace, folder: Path) -> dict[str, float]:
    from bot.guard.engine.index import SpoilerIndex

    started = time.perf_counter()
    index = SpoilerIndex.load(folder / "whole.index")
    loaded = time.perf_counter() - started
    assert len(index.models) == args.shows
    return {"load_s": loaded, "rss_mb": _rss_mb()}


def _cold(args: argparse.Namespace, folder: Path) -> dict[str, float]:
    from bot.guard.engine.pieces import assemble, show_fingerprint
    from bot.guard.index_cache import PieceCache

    prints: dict[int, str] = {}
    generating = [0.0, 0.0]  # wall and CPU seconds

    def shows() -> Iterator[ShowCorpus]:  # as the workers need them; generation is not timed
        for show_id in range(1, args.shows + 1):
            started, cpu = time.perf_counter(), time.process_time()
            show = corpus(plan(show_id, args.episodes), SENTENCES)
            generating[0] += time.perf_counter() - started
            generating[1] += time.process_time() - cpu
            prints[show_id] = show_fingerprint(show)
            yield show

    started, cpu = time.perf_counter(), time.process_time()
    cache = PieceCache(folder / "pieces")
    index = assemble(cache.build(shows(), prints))
    built = time.perf_counter() - started - generating[0]
    cache.close()  # the workers exit: their CPU time is counted as this process's children's
    used = time.process_time() - cpu - generating[1] + _children_cpu()
    assert len(index.models) == args.shows
    (folder / "prints.json").write_text(json.dumps(prints))
    return {"build_s": built, "cpu_s": used, "peak_mb": _peak_mb(), "workers": cache.workers}


def _children_cpu() -> float:
    """CPU seconds used by this process's finished child processes (the pool's workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def _warm(args: argparse.Namespace, folder: Path) -> dict[str, float]:
    from bot.guard.engine.pieces import Assembler
    from bot.guard.engine.word_rarity import load_word_tables
    from bot.guard.index_cache import PieceCache

    prints = {int(k): v for k, v in json.loads((folder / "prints.json").read_text()).items()}
    started = time.perf_counter()
    load_word_tables()  # as the bot's index store does before its first index
    cache, assemble = PieceCache(folder / "pieces"), Assembler()
    index = assemble(cache.known(prints))
    loaded = time.perf_counter() - started
    assert len(index.models) == args.shows
    rss = _rss_mb()
    first = _add_review(cache, assemble, prints, 1, args)
    again = _add_review(cache, assemble, prints, 2, args)
    return {"load_s": loaded, "rss_mb": rss, "rebuild_s": first, "next_rebuild_s": again}


def _add_review(
    cache: PieceCache,
    assemble: Assembler,
    prints: dict[int, str],
    show_id: int,
    args: argparse.Namespace,
) -> float:
    """Seconds to rebuild one show that gained a review and reassemble the index."""
    from bot.guard.engine.pieces import show_fingerprint

    show = corpus(plan(show_id, args.episodes), SENTENCES)
    review = CorpusSentence(EpisodeRef(1, 3), "Verel Tasmon hides the ferry ledger at dawn.")
    grown = dataclasses.replace(show, sentences=(*show.sentences, review))
    started = time.perf_counter()
    prints[show_id] = show_fingerprint(grown)
    index = assemble(cache.models([grown], prints))
    assert len(index.models) == args.shows
    return time.perf_counter() - started


PHASES = {
    "baseline-build": _baseline_build,
    "baseline-load": _baseline_load,
    "cold": _cold,
    "warm": _warm,
}


def _run(phase: str, shows: int, episodes: int, folder: Path) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.index_growth", "--phase", phase]
    command += [f"--shows={shows}", f"--episodes={episodes}", f"--folder={folder}"]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _size(shows: int, episodes: int) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory(prefix="index-growth-") as tmp:
        folder = Path(tmp)
        return {phase: _run(phase, shows, episodes, folder) for phase in PHASES}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.index_growth")
    parser.add_argument("--quick", action="store_true", help="10 and 100 shows only")
    parser.add_argument("--sizes", default="10,100,300,1000", help="show counts, comma-separated")
    parser.add_argument("--episodes", type=int, default=50)
    parser.add_argument("--phase", choices=tuple(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--shows", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Measure every size and print the growth table with the baseline's figures beside."""
    args = _parser().parse_args(argv)
    if args.phase:
        print(json.dumps(PHASES[args.phase](args, args.folder)))
        return 0
    sizes = [10, 100] if args.quick else [int(s) for s in args.sizes.split(",")]
    print(f"{os.cpu_count()} CPUs; shows x {args.episodes} episodes x {SENTENCES} sentences")
    print(
        f"{'shows':>6} | {'cold s':>7} {'whole s':>8} | {'warm s':>7} {'whole s':>8} | "
        f"{'1-show s':>8} {'next s':>6} {'whole s':>8} | {'RSS MB':>7} {'whole MB':>8} | "
        f"{'cold peak':>9} {'whole peak':>10} | {'cold CPU s':>10} {'whole CPU s':>11}"
    )
    for shows in sizes:
        f = _size(shows, args.episodes)
        base, load, cold, warm = (f[p] for p in PHASES)
        print(
            f"{shows:>6} | {cold['build_s']:>7.1f} {base['build_s']:>8.1f} | "
            f"{warm['load_s']:>7.2f} {load['load_s']:>8.2f} | "
            f"{warm['rebuild_s']:>8.2f} {warm['next_rebuild_s']:>6.2f} {base['build_s']:>8.1f} | "
            f"{warm['rss_mb']:>7.0f} {load['rss_mb']:>8.0f} | "
            f"{cold['peak_mb']:>9.0f} {base['peak_mb']:>10.0f} | "
            f"{cold['cpu_s']:>10.1f} {base['cpu_s']:>11.1f}",
            flush=True,
        )
    print("whole: the old path (one index built in one process, one pickle); 1-show whole: a")
    print("full rebuild, which is what adding a review cost it. warm: the models loaded and the")
    print("word-frequency tables (as the bot loads them at start); 1-show: one show rebuilt, next:")
    print("another. RSS: after the load.")
    print("CPU s: processor time of the build, workers included (corpus generation excluded from")
    print("cold; included in whole): what the wall times become with the cores to itself.")
    print(f"targets: {TARGETS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
