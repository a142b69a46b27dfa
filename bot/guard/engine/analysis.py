"""Text → concept labels: names, roles, events (bound to the people near them) and terms."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.catalog.episodes import EpisodeRef
from bot.guard.engine.lexicon import EVENT_WORDS, ROLE_WORDS, STOPWORDS, UNREALISED
from bot.guard.engine.text import (
    WORD,
    apply_phrases,
    letter_runs,
    plain_word,
    raw_words,
    simple_words,
    stem,
)

Resolver = Callable[[str], Sequence[str]]
RoleHistory = dict[str, dict[str, EpisodeRef]]

_CLAUSE = re.compile(r"[,;:.!?()\[\]\"“”…—–\n]+| - ")
_CLAUSE_MARK = re.compile(r"[,;:.!?()\[\]\"“”…—–\n]")  # one character: a fast scan
_PIECE = re.compile(rf"{WORD.pattern}|{_CLAUSE.pattern}")  # a word or a clause break
_PIECE_BREAK = frozenset(',;:.!?()[]"“”…—–\n ')
PRONOUNS = frozenset("he she they him her his hers them their it".split())
_NEGATION_REACH = 3
_RELATION_WINDOW = 5
_ABBREVIATION = re.compile(r"\b(Dr|Mr|Mrs|Ms|Prof|Capt|Sgt|Lt|Det|St)\.", re.I)
# `_ABBREVIATION` read backwards: it starts with a literal period, so a search skips ahead fast
_ABBREVIATION_REVERSED = re.compile(r"\.(?:rd|rm|srm|sm|forp|tpac|tgs|tl|ted|ts)\b", re.I)
_DESCRIPTIONS = frozenset("man woman guy person figure stranger boy girl one".split())
_KILLS = frozenset(
    "kill kills killed murder murders murdered stab stabs stabbed strangle strangles strangled "
    "poison poisons poisoned shoot shoots shot".split()
)
_VICTIMS = frozenset("him her them his their".split())


def word_concepts(word: str, names: frozenset[str]) -> list[str]:
    """Concept labels one folded word stands for (events, a role, a name or a term).

    Used when building; checks use the cached `words.concepts_of`, which answers the same.
    """
    if word in STOPWORDS:
        return []
    events = EVENT_WORDS.get(word)
    if events:
        return [f"e:{event}" for event in events]
    role = ROLE_WORDS.get(word)
    if role:
        return [f"r:{role}"]
    if word in names:
        return [f"n:{word}"]
    if len(word) < 3 and not word.isdigit():
        return []
    return [f"t:{stem(word)}"]


class Analyser:
    """Labels texts for one show; `roles` says since when a name holds a role.

    With `corpus`, a killing also names its killer (`killers`): recaps say who did it in
    many ways, so knowing it from 'X killed his daughter' only dates that knowledge earlier.
    Messages are not read so: 'strand shoots rawls' would otherwise become news in whichever
    later recap first calls Strand a culprit in words such as 'confession'.
    """

    __slots__ = ("_cache", "_held", "_rich", "_roles", "corpus", "resolve")

    def __init__(
        self, resolve: Resolver, roles: RoleHistory | None = None, *, corpus: bool = False
    ) -> None:
        self.resolve = resolve
        self.corpus = corpus
        self._roles = {
            name: [(f"r:{role}", (since.season, since.episode)) for role, since in held.items()]
            for name, held in (roles or {}).items()
        }
        self._cache: dict[str, Sequence[str]] = {}
        self._rich: set[str] = set()  # words `_clause` reads in place: pronouns, people, events
        self._held: dict[tuple[str, tuple[int, int]], tuple[str, ...]] = {}

    def word(self, word: str) -> Sequence[str]:
        """The labels of one folded word (resolved once, then cached)."""
        labels = self._cache.get(word)
        if labels is None:
            labels = self._cache[word] = self.resolve(word)
            if word in PRONOUNS or any(label[0] in "ern" for label in labels):
                self._rich.add(word)
        return labels

    def words(self, folded: str) -> list[list[str]]:
        """The words of each clause of a folded text, idioms rewritten to event tokens."""
        closed = close_abbreviations(folded)
        return clause_words(closed, simple_words(closed))

    def expand(self, name: str, episode: tuple[int, int]) -> tuple[str, ...]:
        """Role labels a name holds by `episode` ('pearlman' → 'r:captain')."""
        held = self._roles.get(name)
        if not held:
            return ()
        key = (name, episode)
        roles = self._held.get(key)
        if roles is None:
            roles = self._held[key] = tuple(role for role, since in held if since <= episode)
        return roles

    def labels(
        self,
        folded: str,
        episode: EpisodeRef,
        carry: list[str],
        clauses: list[list[str]] | None = None,
    ) -> tuple[set[str], list[str]]:
        """Labels of a folded text, with each event bound to the people near it in its clause.

        A bound label such as 'b:evdeath|n:rawls' says who an event happened to (or who did
        it); `carry` holds the names of the previous sentence, for clauses that name nobody.
        `clauses` is `self.words(folded)` when the caller already has it.
        """
        labels: set[str] = set()
        present: list[str] = []
        when = (episode.season, episode.episode)
        previous = [*carry, *self._roles_of(carry, when)] if carry else []
        known, rich = self._cache, self._rich
        for words in self.words(folded) if clauses is None else clauses:
            try:
                said = list(map(known.__getitem__, words))
            except KeyError:  # a word met for the first time
                said = [self.word(word) for word in words]
            if rich.isdisjoint(words):  # terms alone: their labels, and nothing binds
                labels.update(*said)
            else:
                previous = self._clause(words, when, (labels, present), previous)
        if present:
            labels.update(self._roles_of(present, when))
        return labels, present

    def _roles_of(self, names: list[str], when: tuple[int, int]) -> list[str]:
        """The roles these name labels hold by `when`."""
        roles = self._roles
        return [r for name in names if name[2:] in roles for r in self.expand(name[2:], when)]

    def _clause(
        self,
        words: list[str],
        when: tuple[int, int],
        found: tuple[set[str], list[str]],
        previous: list[str],
    ) -> list[str]:
        """Read a clause's words into `found` (labels, names); return its people (or `previous`)."""
        labels, present = found
        entities: list[tuple[int, str]] = []
        events: list[tuple[int, str]] = []
        pronouns: list[int] = []
        role_words = False
        rich, cache = self._rich, self._cache
        for position, word in enumerate(words):
            if word not in rich:
                labels.update(cache[word])
                continue
            if word in PRONOUNS:
                pronouns.append(position)
            for label in cache[word]:
                kind = label[0]
                if kind == "e" and self.corpus and _unrealised(words, position):
                    continue  # 'nearly arrested', 'doesn't get fired': not the event
                labels.add(label)
                if kind == "e":
                    events.append((position, label))
                elif kind == "r":
                    entities.append((position, label))
                    role_words = True
                elif kind == "n":
                    present.append(label)
                    entities.append((position, label))
                    if label[2:] in self._roles:
                        entities.extend((position, r) for r in self.expand(label[2:], when))
        if events:
            labels.update(bind_clause(words, entities, events, pronouns, previous))
            if self.corpus:
                labels.update(killers(words, entities))
        if role_words:  # a role a name holds sits at the name: `relate` skips it
            labels.update(relate(entities, pronouns, previous))
        return [label for _, label in entities] if entities else previous


def _unrealised(words: list[str], position: int) -> bool:
    """Whether a negation or a near miss ('not', 'nearly', 'almost') comes just before an event."""
    return not UNREALISED.isdisjoint(words[max(0, position - _NEGATION_REACH) : position])


def close_abbreviations(text: str) -> str:
    """'dr. rawls' → 'dr rawls': the period of a title does not end a clause."""
    if "." not in text or _ABBREVIATION_REVERSED.search(text[::-1]) is None:
        return text  # no title before any period (most sentences): nothing to substitute
    return _ABBREVIATION.sub(r"\1", text)


def has_clauses(closed: str) -> bool:
    """Whether a text has a clause break (so more than one clause)."""
    return " - " in closed or _CLAUSE_MARK.search(closed) is not None  # what `_CLAUSE` finds


def clause_words(closed: str, simple: list[str] | None) -> list[list[str]]:
    """The words of each clause, idioms rewritten (`simple`: `simple_words(closed)`).

    A simple text is read in one pass of words and clause breaks (the two share no character,
    so the breaks found are those `_CLAUSE.split` would cut at).
    """
    if simple is None:
        return [raw_words(clause) for clause in _CLAUSE.split(apply_phrases(closed))]
    apostrophes = "'" in closed
    if not apostrophes:  # the same pieces, cut by the breaks first: a split is cheaper
        return [letter_runs(clause) for clause in _CLAUSE.split(closed)]
    clauses: list[list[str]] = [[]]
    for piece in _PIECE.findall(closed):
        if piece[0] in _PIECE_BREAK:
            clauses.append([])
        elif apostrophes:
            word = plain_word(piece)
            if word:
                clauses[-1].append(word)
        else:
            clauses[-1].append(piece)
    return clauses


def bind(
    entities: list[tuple[int, str]],
    events: list[tuple[int, str]],
    pronouns: list[int],
    previous: list[str],
) -> set[str]:
    """Each event bound to the clause's people with no pronoun between (or to `previous`)."""
    bound: set[str] = set()
    for where, event in events:  # plain loops: this runs for every sentence and message
        if not entities:
            for label in previous:
                bound.add(f"b:{event[2:]}|{label}")
            continue
        for position, label in entities:
            low, high = (where, position) if where < position else (position, where)
            for pronoun in pronouns:
                if low < pronoun < high:
                    break
            else:
                bound.add(f"b:{event[2:]}|{label}")
    return bound


def bind_clause(
    words: list[str],
    entities: list[tuple[int, str]],
    events: list[tuple[int, str]],
    pronouns: list[int],
    previous: list[str],
) -> set[str]:
    """A clause's events bound to its people (`bind`), and to those named before it.

    The second applies when the clause's subject is a description of someone just named.
    """
    bound = bind(entities, events, pronouns, previous)
    if previous and _described(words):
        bound.update(bind([], events, [], previous))
    return bound


def killers(words: list[str], entities: list[tuple[int, str]]) -> set[str]:
    """Who a clause says killed someone: 'Dale Kettering killed his daughter' makes Dale a culprit.

    Only a name (or role) right before an active killing verb with a victim right after it
    (a name, a role, him, her, them, his, their); 'Rawls, shot twice in the raid' and 'Josie
    was killed' name no killer.
    """
    if _KILLS.isdisjoint(words):
        return set()
    named: dict[int, list[str]] = {}
    for position, label in entities:
        named.setdefault(position, []).append(label)
    found: set[str] = set()
    last = len(words) - 1
    for position, word in enumerate(words):
        if word not in _KILLS or position - 1 not in named or position == last:
            continue
        after = position + 1
        if after not in named and words[after] not in _VICTIMS:
            continue
        start = position - 1
        while start in named:
            found.update(f"b:evculprit|{label}" for label in named[start])
            start -= 1
    return found


def _described(words: list[str]) -> bool:
    """A clause whose subject is a description ('the man who …') of someone already named.

    'Standing on the dock is Captain Pearlman. The man who closed the case is on the
    payroll.' The second sentence names only the victim, yet it is Pearlman who is corrupt.
    """
    return len(words) > 2 and words[0] == "the" and words[1] in _DESCRIPTIONS


def relate(entities: list[tuple[int, str]], pronouns: list[int], previous: list[str]) -> set[str]:
    """Relations a clause states: a role word near a name ('marisol is ione's sister').

    Gives 'b:rsister|n:marisol' and 'b:rsister|n:ione', dated like events, so a relation
    first stated after the line is a spoiler even when both names and the word are familiar.
    A clause naming nobody ('they are sisters') relates the names of the clause before; a
    possessive just before the role ('her sister') does not block the name before it.
    """
    roles = []
    named = []
    for at, label in entities:
        if label[0] == "r":
            roles.append((at, label))
        elif label[0] == "n":
            named.append((at, label))
    related: set[str] = set()
    for where, role in roles:
        if any(at == where for at, _ in named):
            continue
        if not named:
            related.update(f"b:r{role[2:]}|{name}" for name in previous if name[0] == "n")
        for position, name in named:
            if abs(position - where) > _RELATION_WINDOW:
                continue
            low, high = min(where, position), max(where, position)
            if any(low < p < high and p != where - 1 for p in pronouns):
                continue
            related.add(f"b:r{role[2:]}|{name}")
    return related
