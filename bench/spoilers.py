"""Spoiler-engine quality, leave-one-show-out, beside an AutoMod-style keyword baseline.

Run: python -m bench.spoilers [--errors] [--semantic] [--frontier] [--sample-only]
                              [--write-weights]

Every show is scored by a verifier trained, and thresholded, without it (`bench/verifier_fit.py`);
the lexical rules and word lists are general English, fixed in code (a test checks that no
listed word belongs to one show's corpus alone).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter

from bench.eval_sets import EVAL_DIR, Case, load_cases, load_sets
from bench.loso import Folds
from bench.semantic_loso import verifier_latency
from bot.catalog.episodes import EpisodeRef
from bot.guard.engine import SpoilerIndex
from bot.guard.engine.keywords import KeywordBaseline
from bot.guard.engine.types import Verdict

__all__ = ["EVAL_DIR", "HEADER", "TARGETS", "Case", "load_cases", "report", "tally"]

TARGETS = {
    "precision": 0.95,
    "recall": 0.85,
    "false flags": 0.02,
    "everyday flags": 0.003,
    "exact episode": 0.8,
}

Checker = Callable[[str, int, EpisodeRef], Verdict]


@dataclass(slots=True)
class Tally:
    """Confusion counts (plot talk and everyday chat apart) and exact-episode hits."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    exact: int = 0
    day_fp: int = 0
    day_tn: int = 0

    def add(self, case: Case, verdict: Verdict) -> None:
        """Count one prediction."""
        if case.everyday and not case.spoiler:
            self.day_fp += verdict.spoiler
            self.day_tn += not verdict.spoiler
        elif case.spoiler and verdict.spoiler:
            self.tp += 1
            self.exact += verdict.label_episode == case.reveals
        elif verdict.spoiler:
            self.fp += 1
        elif case.spoiler:
            self.fn += 1
        else:
            self.tn += 1

    def figures(self) -> tuple[float, float, float, float, float]:
        """Precision, recall, false flags (plot talk), exact episode, everyday false flags."""
        flagged = self.tp + self.fp + self.day_fp
        precision = self.tp / flagged if flagged else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        false_flags = self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0
        exact = self.exact / (self.tp + self.fn) if self.tp + self.fn else 1.0
        everyday = self.day_fp / (self.day_fp + self.day_tn) if self.day_fp + self.day_tn else 0.0
        return precision, recall, false_flags, exact, everyday

    def row(self) -> str:
        """The figures as one table row."""
        precision, recall, false_flags, exact, everyday = self.figures()
        n = self.tp + self.fp + self.fn + self.tn
        days = self.day_fp + self.day_tn
        day = f"{everyday:7.4f}" if days else f"{'-':>7s}"
        return (
            f"{precision:9.3f} {recall:7.3f} {false_flags:7.3f} {exact:7.3f} {n:5d} {day} {days:5d}"
        )


HEADER = (
    f"{'':28s} {'precision':>9s} {'recall':>7s} {'f.flags':>7s} {'exact':>7s} {'n':>5s}"
    f" {'everyday':>7s} {'n':>5s}"
)


def evaluate(cases: Iterable[Case], check: Checker, shows: dict[str, int]) -> list[Verdict]:
    """Run the checker over every case."""
    return [check(case.text, shows[case.show], case.progress) for case in cases]


def tally(pairs: Iterable[tuple[Case, Verdict]]) -> Tally:
    """Count a set of predictions."""
    result = Tally()
    for case, verdict in pairs:
        result.add(case, verdict)
    return result


SAMPLE_FOLDS = tuple(path.stem for path in sorted(EVAL_DIR.glob("*.jsonl")))


def report(name: str, cases: list[Case], verdicts: list[Verdict]) -> None:
    """Print the all / tuned / held-out rows and per-show and per-kind breakdowns."""
    pairs = list(zip(cases, verdicts, strict=True))
    print(f"\n== {name}\n{HEADER}")
    print(f"{'pooled (every show left out)':28s} {tally(pairs).row()}")
    sample = set(SAMPLE_FOLDS)
    print(f"{'  sample shows':28s} {tally(p for p in pairs if p[0].file in sample).row()}")
    if any(p[0].file not in sample for p in pairs):
        rest = tally(p for p in pairs if p[0].file not in sample)
        print(f"{'  evaluation corpus':28s} {rest.row()}")
    exact_breakdown(pairs)
    keys: tuple[tuple[str, Callable[[Case], str]], ...] = (
        ("per show", attrgetter("file")),
        ("per kind", attrgetter("kind")),
    )
    for title, key in keys:
        groups: dict[str, list[tuple[Case, Verdict]]] = defaultdict(list)
        for pair in pairs:
            groups[key(pair[0])].append(pair)
        print(f"-- {title}")
        for group in sorted(groups):
            print(f"  {group[:26]:26s} {tally(groups[group]).row()}")


EARLIEST_LABELLED = ("ballard",)


def exact_breakdown(pairs: list[tuple[Case, Verdict]]) -> None:
    """Exact-episode share of flagged spoilers, split by labelling convention and fact count.

    ballard.jsonl labels a message mixing facts with the earliest new fact's episode, the other
    files with the latest; the engine's label is the last episode the message reveals (its
    earliest spoiled episode is shown too). 'one episode' keeps the flagged spoilers whose
    evidence all comes from one episode (a proxy for single-fact messages). 'label before' counts
    labels earlier than the labelled episode: a reader there could Reveal what they have not seen.
    """
    flagged = [(c, v) for c, v in pairs if c.spoiler and v.spoiler]
    rows = {
        "earliest-labelled (ballard)": [p for p in flagged if p[0].file in EARLIEST_LABELLED],
        "latest-labelled (others)": [p for p in flagged if p[0].file not in EARLIEST_LABELLED],
        "one episode in evidence": [
            p for p in flagged if len({e.episode for e in p[1].evidence}) <= 1
        ],
        "several episodes": [p for p in flagged if len({e.episode for e in p[1].evidence}) > 1],
    }
    print("-- exact episode among flagged spoilers (label; earliest spoiled episode)")
    for title, group in rows.items():
        hits = sum(v.label_episode == c.reveals for c, v in group)
        first = sum(v.episode == c.reveals for c, v in group)
        share = hits / len(group) if group else 1.0
        print(f"  {title:28s} {share:6.3f} ({hits}/{len(group)}; earliest {first})")
    offsets = [(v.label_episode or c.progress, c.reveals or c.progress) for c, v in flagged]
    early = sum(label < labelled for label, labelled in offsets)
    late = sum(label > labelled for label, labelled in offsets)
    print(f"  {'label before the labelled':28s} {early} (after it: {late})")


def print_errors(cases: list[Case], verdicts: list[Verdict]) -> None:
    """Misclassified messages and spoilers flagged with another episode."""
    print("\n== engine errors (FN missed, FP false flag, EP wrong episode)")
    for case, verdict in zip(cases, verdicts, strict=True):
        if case.spoiler == verdict.spoiler and (
            not case.spoiler or verdict.label_episode == case.reveals
        ):
            continue
        tag = "EP" if case.spoiler == verdict.spoiler else ("FN" if case.spoiler else "FP")
        label = case.reveals.code if case.reveals else "-"
        got = verdict.label_episode.code if verdict.label_episode else "-"
        if verdict.episode and verdict.episode != verdict.label_episode:
            got += f" (earliest {verdict.episode.code})"
        print(
            f"{tag} {case.file} at {case.progress.code} label {label} got {got} "
            f"({case.kind}, {verdict.score:.2f}): {case.text}"
        )
        for item in verdict.evidence[:1]:
            print(f"     evidence {item.episode.code} {item.source}: {item.matched[:110]}")


def lexical_reach(
    index: SpoilerIndex, cases: list[Case], verdicts: list[Verdict], shows: dict[str, int]
) -> None:
    """Of the missed spoilers, how many contain a concept the labelled episode introduces.

    A miss with no concept (name, term, role-or-name-bound event) first stated in the labelled
    episode cannot be dated by lexical rules: that is what a semantic layer would have to win.
    """
    from bot.guard.engine.matching import Reader
    from bot.guard.engine.text import clean_message, fold

    missed = [c for c, v in zip(cases, verdicts, strict=True) if c.spoiler and not v.spoiler]
    reachable = 0
    for case in missed:
        model = index.models[shows[case.show]]
        concepts = Reader(model, index.known_words).concepts(fold(clean_message(case.text)))
        later = {c for c in concepts if model.first_episode(c) == case.reveals}
        reachable += bool(later)
    print(
        f"\n== lexical reach: {len(missed)} missed spoilers; {reachable} contain a concept first "
        f"stated in the labelled episode (scoring misses), {len(missed) - reachable} contain "
        f"none (paraphrase beyond lexical means)"
    )


def main(argv: list[str] | None = None) -> int:
    """Build every show's index, score each show with a verifier trained without it, print."""
    parser = argparse.ArgumentParser(prog="python -m bench.spoilers")
    parser.add_argument("--errors", action="store_true", help="list misclassified messages")
    parser.add_argument(
        "--semantic",
        action="store_true",
        help="also score the verifier with sentence-embedding features (the semantic extra)",
    )
    parser.add_argument(
        "--frontier",
        action="store_true",
        help="the best recall looser thresholds could reach, picked on the messages themselves",
    )
    parser.add_argument(
        "--paraphrase-rules",
        action="store_true",
        help="also measure session 7's paraphrase rules (needs the semantic extra)",
    )
    parser.add_argument("--sample-only", action="store_true", help="the 8 sample shows only")
    parser.add_argument(
        "--write-weights",
        action="store_true",
        help="train the verifier on every show and write bot/guard/engine/verifier.json",
    )
    args = parser.parse_args(argv)
    corpora, cases = load_sets(with_eval=not args.sample_only)
    started = time.perf_counter()
    index = SpoilerIndex.build(corpora).with_verifier(None)
    built = time.perf_counter() - started
    shows = {corpus.title: corpus.show_id for corpus in corpora}
    started = time.perf_counter()
    rules = evaluate(cases, index.check, shows)
    folds = Folds.read(index, cases, shows)
    verdicts = folds.loso()
    elapsed = time.perf_counter() - started
    print(
        f"{len(cases)} labelled messages ({sum(c.everyday for c in cases)} everyday) from "
        f"{len({c.file for c in cases})} shows, {sum(c.spoiler for c in cases)} spoilers; "
        f"{folds.reaching} reach the verifier; index built in {built * 1000:.0f} ms, "
        f"checked and trained leave-one-show-out in {elapsed:.1f} s"
    )
    print(
        "exact episode = share of true spoilers flagged with the labelled episode "
        "(the engine's label: the last episode the message reveals)"
    )
    print(
        "targets: "
        + ", ".join(f"{k} {'≤' if 'flags' in k else '≥'} {v}" for k, v in TARGETS.items())
    )
    report(
        "engine: rules propose, verifier decides (trained without the scored show)", cases, verdicts
    )
    summary("lexical rules alone (no verifier)", cases, rules)
    lexical_reach(index, cases, verdicts, shows)
    baseline = KeywordBaseline.build(corpora)
    summary("keyword baseline", cases, evaluate(cases, baseline.check, shows))
    if args.errors:
        print_errors(cases, verdicts)
    if args.frontier:
        from bench.frontier import lexical_rules, report_frontier, weak_facts

        weak = [weak_facts(index, case, shows[case.show]) for case in cases]
        report_frontier("lexical engine", cases, verdicts, weak, [lexical_rules()])
    print(f"\nlatency, lexical verifier: {verifier_latency(folds.shipped(), cases, shows)}")
    semantic = None
    if args.semantic:
        from bench.semantic_loso import semantic_folds

        semantic, layered = semantic_folds(index, cases, shows)
        report(
            "engine with similarity features (verifier trained without the show)", cases, layered
        )
        if args.errors:
            print_errors(cases, layered)
        latency = verifier_latency(semantic.shipped(), cases, shows)
        print(f"\nlatency, similarity verifier: {latency}")
    if args.paraphrase_rules:
        from bench.paraphrase import semantic_report

        semantic_report(corpora, cases, shows, index, args.errors, args.frontier)
    if args.write_weights:
        write_weights(folds, semantic)
    return 0


def summary(name: str, cases: list[Case], verdicts: list[Verdict]) -> None:
    """The pooled rows of a checker, beside the engine's."""
    pairs = list(zip(cases, verdicts, strict=True))
    sample = set(SAMPLE_FOLDS)
    print(f"\n== {name}\n{HEADER}")
    print(f"{'pooled':28s} {tally(pairs).row()}")
    print(f"{'  sample shows':28s} {tally(p for p in pairs if p[0].file in sample).row()}")
    if any(p[0].file not in sample for p in pairs):
        rest = tally(p for p in pairs if p[0].file not in sample)
        print(f"{'  evaluation corpus':28s} {rest.row()}")


def write_weights(folds: Folds, semantic: Folds | None) -> None:
    """Train on every show (thresholds from leave-one-show-out) and write the shipped weights."""
    from bot.guard.engine.verifier import WEIGHTS_FILE

    trained = {"lexical": folds.train(exclude=None)}
    if semantic is not None:
        trained["semantic"] = semantic.train(exclude=None)
    data = {name: verifier.as_dict() for name, verifier in trained.items()}
    WEIGHTS_FILE.write_text(json.dumps(data, indent=1) + "\n")
    print(f"\nwrote {WEIGHTS_FILE} ({', '.join(trained)})")


if __name__ == "__main__":
    sys.exit(main())
