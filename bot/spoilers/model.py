"""What one show's corpus reveals: concepts (names, roles, events, terms) per sentence."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.episodes import NOTHING, EpisodeRef
from bot.spoilers.lexicon import EVENT_WORDS, ROLE_WORDS, STOPWORDS
from bot.spoilers.text import apply_phrases, fold, raw_words, stem
from bot.spoilers.types import CorpusSentence, ShowCorpus

KIND_FACTOR = {"narration": 1.0, "premise": 1.0, "opinion": 0.8, "verdict": 0.3, "taught": 1.5}
NAME, ROLE, EVENT, TERM, BOUND = "n", "r", "e", "t", "b"
_CASED = re.compile(r"[A-Za-z][A-Za-z'’-]*|[.:;!?()\"“”]|,")
_BREAK = frozenset('.:;!?()"“”')
_ROLE_WINDOW = 4


@dataclass(slots=True)
class Unit:
    """One analysed corpus sentence: when it happens and which concepts it states."""

    episode: EpisodeRef
    text: str
    kind: str
    concepts: frozenset[int]
    factor: float


@dataclass(slots=True)
class ShowModel:
    """A show's concept dictionary, sentence units and posting lists, ready for matching."""

    show_id: int
    title: str
    aliases: tuple[str, ...]
    ids: dict[str, int] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    postings: list[list[int]] = field(default_factory=list)
    names: frozenset[str] = frozenset()
    compounds: dict[str, tuple[str, str]] = field(default_factory=dict)

    def concept(self, label: str) -> int | None:
        """The id of a concept label such as 'n:pearlman', if the corpus has it."""
        return self.ids.get(label)

    def first_episode(self, concept: int) -> EpisodeRef:
        """The earliest episode any sentence states this concept."""
        return self.units[self.postings[concept][0]].episode

    def earliest(self, concepts: frozenset[int]) -> int | None:
        """Index of the earliest unit stating every concept in `concepts` together."""
        lists = sorted((self.postings[c] for c in concepts), key=len)
        rest = concepts
        for index in lists[0]:
            if rest <= self.units[index].concepts:
                return index
        return None


def word_concepts(word: str, names: frozenset[str]) -> list[str]:
    """Concept labels one folded word stands for (events, a role, a name or a term)."""
    if word in STOPWORDS:
        return []
    events = EVENT_WORDS.get(word)
    if events:
        return [f"{EVENT}:{event}" for event in events]
    role = ROLE_WORDS.get(word)
    if role:
        return [f"{ROLE}:{role}"]
    if word in names:
        return [f"{NAME}:{word}"]
    if len(word) < 3 and not word.isdigit():
        return []
    return [f"{TERM}:{stem(word)}"]


def find_names(texts: Iterable[str]) -> frozenset[str]:
    """Words the corpus capitalises mid-sentence and (almost) never writes in lower case."""
    capital: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for text in texts:
        tokens = _CASED.findall(text)
        for position, token in enumerate(tokens):
            word = _name_key(token)
            if not word:
                continue
            if token[0].islower():
                lower[word] += 1
            elif position > 0 and tokens[position - 1] not in _BREAK:
                capital[word] += 1
    return frozenset(
        word
        for word, count in capital.items()
        if lower[word] * 4 <= count
        and word not in STOPWORDS
        and word not in ROLE_WORDS
        and word not in EVENT_WORDS
        and len(word) >= 2
    )


def _name_key(token: str) -> str:
    if token in _BREAK or token == ",":
        return ""
    words = raw_words(fold(token))
    return words[0] if len(words) == 1 else ""


def mine_roles(text: str, names: frozenset[str]) -> dict[str, set[str]]:
    """Roles written next to a name: 'Captain Vic Pearlman', 'his wife Ruth', 'Theo, her boyfriend'."""
    tokens = [(_name_key(token) or token) for token in _CASED.findall(text)]
    found: dict[str, set[str]] = {}
    index = 0
    while index < len(tokens):
        if tokens[index] not in names:
            index += 1
            continue
        end = index
        while end < len(tokens) and tokens[end] in names:
            end += 1
        roles = _roles_near(tokens, index, end)
        for name in tokens[index:end]:
            found.setdefault(name, set()).update(roles)
        index = end
    return found


def _roles_near(tokens: list[str], start: int, end: int) -> set[str]:
    roles: set[str] = set()
    left = start - 1
    if left >= 0 and tokens[left] == ",":
        left -= 1
    for position in range(left, max(left - _ROLE_WINDOW, -1), -1):
        if tokens[position] in _BREAK or tokens[position] == ",":
            break
        if tokens[position] in ROLE_WORDS:
            roles.add(ROLE_WORDS[tokens[position]])
    if end < len(tokens) and tokens[end] == ",":
        for position in range(end + 1, min(end + 1 + _ROLE_WINDOW + 1, len(tokens))):
            if tokens[position] in _BREAK or tokens[position] == ",":
                break
            if tokens[position] in ROLE_WORDS:
                roles.add(ROLE_WORDS[tokens[position]])
    return roles


def build_model(corpus: ShowCorpus) -> ShowModel:
    """Analyse a show's sentences into concept units, earliest episode first."""
    sentences = _ordered(corpus)
    names = find_names([s.text for s in sentences])
    model = ShowModel(corpus.show_id, corpus.title, corpus.aliases, names=names)
    role_since = _role_episodes(sentences, names)
    carry: list[str] = []
    previous_episode = None
    groups: list[list[str]] = []
    for sentence in sentences:
        folded = apply_phrases(fold(sentence.text))
        if sentence.episode != previous_episode or sentence.kind == "taught":
            carry = []
        episode = sentence.episode

        def expand(name: str, episode: EpisodeRef = episode) -> list[str]:
            return _expansions(name, episode, role_since)

        labels, present = analyse(folded, lambda w: word_concepts(w, names), expand, carry)
        _add_compounds(model, raw_words(folded))
        groups.append(sorted(labels))
        carry, previous_episode = present or carry, sentence.episode
    _index_units(model, sentences, groups)
    return model


Resolver = Callable[[str], list[str]]
Expander = Callable[[str], list[str]]
_CLAUSE = re.compile(r"[,;:.!?()\[\]\"“”…—–\n]+| - ")
_PRONOUNS = frozenset("he she they him her his hers them their it".split())


def analyse(
    folded: str, resolve: Resolver, expand: Expander, carry: list[str]
) -> tuple[set[str], list[str]]:
    """Concept labels of a text, with each event bound to the people near it in its clause.

    A bound label such as 'b:evdeath|n:rawls' says who the event happened to (or who did it);
    `carry` gives the names of the previous sentence for a clause that has none.
    """
    labels: set[str] = set()
    present: list[str] = []
    previous = [*carry, *(role for name in carry for role in expand(name[2:]))]
    for clause in _CLAUSE.split(folded):
        entities, events, pronouns = [], [], []
        for position, word in enumerate(raw_words(clause)):
            if word in _PRONOUNS:
                pronouns.append(position)
            for label in resolve(word):
                labels.add(label)
                if label[0] == EVENT:
                    events.append((position, label))
                elif label[0] in (NAME, ROLE):
                    entities.append((position, label))
                    if label[0] == NAME:
                        present.append(label)
                        entities.extend((position, role) for role in expand(label[2:]))
        labels.update(_bind(entities, events, pronouns, previous))
        if entities:
            previous = [label for _, label in entities]
    for label in present:
        labels.update(expand(label[2:]))
    return labels, present


def _bind(
    entities: list[tuple[int, str]],
    events: list[tuple[int, str]],
    pronouns: list[int],
    previous: list[str],
) -> set[str]:
    bound: set[str] = set()
    for where, event in events:
        near = [
            label
            for position, label in entities
            if not any(min(where, position) < p < max(where, position) for p in pronouns)
        ]
        if not entities:
            near = previous
        bound.update(f"{BOUND}:{event[2:]}|{label}" for label in near)
    return bound


def _ordered(corpus: ShowCorpus) -> list[CorpusSentence]:
    names = " ".join((corpus.title, *corpus.aliases))
    own = [CorpusSentence(NOTHING, names, "premise")]
    taught = [CorpusSentence(t.episode, t.phrase, "taught") for t in corpus.taught]
    return sorted([*own, *corpus.sentences, *taught], key=lambda s: s.episode)


def _role_episodes(
    sentences: list[CorpusSentence], names: frozenset[str]
) -> dict[str, dict[str, EpisodeRef]]:
    since: dict[str, dict[str, EpisodeRef]] = {}
    for sentence in sentences:
        for name, roles in mine_roles(sentence.text, names).items():
            for role in roles:
                since.setdefault(name, {}).setdefault(role, sentence.episode)
    return since


def _expansions(
    name: str, episode: EpisodeRef, since: dict[str, dict[str, EpisodeRef]]
) -> list[str]:
    return [f"{ROLE}:{role}" for role, first in since.get(name, {}).items() if first <= episode]


def _add_compounds(model: ShowModel, words: list[str]) -> None:
    for first, second in zip(words, words[1:], strict=False):
        if first not in STOPWORDS and second not in STOPWORDS and len(first + second) >= 7:
            model.compounds.setdefault(first + second, (first, second))


def _index_units(
    model: ShowModel, sentences: list[CorpusSentence], labels: list[list[str]]
) -> None:
    frequency: Counter[str] = Counter(label for group in labels for label in group)
    total = max(len(sentences), 2)
    for label in sorted(frequency):
        model.ids[label] = len(model.labels)
        model.labels.append(label)
        model.weights.append(_weight(label, frequency[label], total))
        model.postings.append([])
    for index, (sentence, group) in enumerate(zip(sentences, labels, strict=True)):
        concepts = frozenset(model.ids[label] for label in group)
        factor = KIND_FACTOR.get(sentence.kind, 1.0)
        model.units.append(Unit(sentence.episode, sentence.text, sentence.kind, concepts, factor))
        for concept in concepts:
            model.postings[concept].append(index)


def _weight(label: str, frequency: int, total: int) -> float:
    rarity = 1.0 - math.log(1 + frequency) / math.log(1 + total)
    kind = label[0]
    if kind == NAME:
        return 0.7 + 0.3 * rarity
    if kind == ROLE:
        return 0.6
    if kind == EVENT:
        return 0.8
    if kind == BOUND:
        return 1.0
    return 0.15 + 0.85 * rarity
