"""Text → concept labels: names, roles, events (bound to the people near them) and terms."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from bot.catalog.episodes import EpisodeRef
from bot.guard.engine.lexicon import EVENT_WORDS, ROLE_WORDS, STOPWORDS, UNREALISED
from bot.guard.engine.text import (
    WORD,
    apply_phrases,
    fold,
    plain_word,
    raw_words,
    simple_words,
    stem,
)
from bot.guard.engine.types import CorpusSentence
from bot.guard.engine.word_rarity import VERY_COMMON_ZIPF, zipf

Resolver = Callable[[str], Sequence[str]]
RoleHistory = dict[str, dict[str, EpisodeRef]]

_CASED = re.compile(r"[A-Za-z][A-Za-z'’-]*|[.:;!?()\"“”]|,")
_BREAK = frozenset('.:;!?()"“”')
_CLAUSE = re.compile(r"[,;:.!?()\[\]\"“”…—–\n]+| - ")
_CLAUSE_MARK = re.compile(r"[,;:.!?()\[\]\"“”…—–\n]")  # one character: a fast scan
_PIECE = re.compile(rf"{WORD.pattern}|{_CLAUSE.pattern}")  # a word or a clause break
_PIECE_BREAK = frozenset(',;:.!?()[]"“”…—–\n ')
PRONOUNS = frozenset("he she they him her his hers them their it".split())
_ROLE_WINDOW = 4
_NEGATION_REACH = 3
_RELATION_WINDOW = 5
_ABBREVIATION = re.compile(r"\b(Dr|Mr|Mrs|Ms|Prof|Capt|Sgt|Lt|Det|St)\.", re.I)
_DETERMINERS = frozenset("a an the his her their its our now once formerly".split())
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

    __slots__ = ("_cache", "_roles", "corpus", "resolve")

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

    def word(self, word: str) -> Sequence[str]:
        """The labels of one folded word (resolved once, then cached)."""
        labels = self._cache.get(word)
        if labels is None:
            labels = self._cache[word] = self.resolve(word)
        return labels

    def words(self, folded: str) -> list[list[str]]:
        """The words of each clause of a folded text, idioms rewritten to event tokens."""
        closed = close_abbreviations(folded)
        return clause_words(closed, simple_words(closed))

    def expand(self, name: str, episode: tuple[int, int]) -> list[str]:
        """Role labels a name holds by `episode` ('pearlman' → 'r:captain')."""
        held = self._roles.get(name)
        return [role for role, since in held if since <= episode] if held else []

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
        previous = [*carry, *(r for name in carry for r in self.expand(name[2:], when))]
        for words in self.words(folded) if clauses is None else clauses:
            entities: list[tuple[int, str]] = []
            events: list[tuple[int, str]] = []
            pronouns: list[int] = []
            for position, word in enumerate(words):
                if word in PRONOUNS:
                    pronouns.append(position)
                for label in self.word(word):
                    kind = label[0]
                    if kind == "e" and self.corpus and _unrealised(words, position):
                        continue  # 'nearly arrested', 'doesn't get fired': not the event
                    labels.add(label)
                    if kind == "e":
                        events.append((position, label))
                    elif kind == "r":
                        entities.append((position, label))
                    elif kind == "n":
                        present.append(label)
                        entities.append((position, label))
                        entities.extend((position, r) for r in self.expand(label[2:], when))
            if events:
                labels.update(bind_clause(words, entities, events, pronouns, previous))
                if self.corpus:
                    labels.update(killers(words, entities))
            labels.update(relate(entities, pronouns, previous))
            if entities:
                previous = [label for _, label in entities]
        for name in present:
            labels.update(self.expand(name[2:], when))
        return labels, present


def _unrealised(words: list[str], position: int) -> bool:
    """Whether a negation or a near miss ('not', 'nearly', 'almost') comes just before an event."""
    return not UNREALISED.isdisjoint(words[max(0, position - _NEGATION_REACH) : position])


def close_abbreviations(folded: str) -> str:
    """'dr. rawls' → 'dr rawls': the period of a title does not end a clause."""
    return _ABBREVIATION.sub(r"\1", folded) if "." in folded else folded


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
    clauses: list[list[str]] = [[]]
    apostrophes = "'" in closed
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


def find_names(texts: Iterable[str]) -> frozenset[str]:
    """Words the corpus capitalises mid-sentence and (almost) never writes in lower case."""
    capital: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for text in texts:
        tokens = _CASED.findall(_ABBREVIATION.sub(r"\1", text))
        for position, token in enumerate(tokens):
            word = _name_key(token)
            if not word:
                continue
            if token[0].islower():
                lower[word] += 1
            elif (position > 0 and tokens[position - 1] not in _BREAK) or _starts_name(
                tokens, position
            ):
                capital[word] += 1
    return frozenset(
        word
        for word, count in capital.items()
        if lower[word] * 4 <= count
        and word not in STOPWORDS
        and word not in ROLE_WORDS
        and word not in EVENT_WORDS
        and len(word) >= 2
        and zipf(word) < VERY_COMMON_ZIPF  # 'TV', 'God', 'Mom': everyday words, not names
    )


def _starts_name(tokens: list[str], position: int) -> bool:
    """A sentence-initial capital followed by another capital reads as 'First Last'."""
    following = tokens[position + 1] if position + 1 < len(tokens) else ""
    return following[:1].isupper()


@functools.lru_cache(maxsize=200_000)
def _name_key(token: str) -> str:
    if token in _BREAK or token == ",":
        return ""
    words = raw_words(fold(token))
    return words[0] if len(words) == 1 else ""


def mine_roles(text: str, names: frozenset[str]) -> dict[str, set[str]]:
    """Roles written next to a name: 'Captain Vic Pearlman', 'his wife Ruth', 'Theo, her bf'."""
    raw = _CASED.findall(_ABBREVIATION.sub(r"\1", text))
    tokens = [(_name_key(token) or token) for token in raw]
    found: dict[str, set[str]] = {}
    index = 0
    while index < len(tokens):
        if tokens[index] not in names:
            index += 1
            continue
        end = index
        while end < len(tokens) and tokens[end] in names:
            end += 1
        roles = _roles_near(tokens, index, end, _appositive(raw, end))
        for name in tokens[index:end]:
            found.setdefault(name, set()).update(roles)
        index = end
    return found


def _appositive(raw: list[str], end: int) -> bool:
    """Whether ', a …' / ', Josie's …' follows a name (a description, not the next clause)."""
    if end + 1 >= len(raw) or raw[end] != ",":
        return False
    following = raw[end + 1]
    return following.lower() in _DETERMINERS or following.endswith(("'s", "’s"))


def _roles_near(tokens: list[str], start: int, end: int, appositive: bool) -> set[str]:
    left = start - 1
    if left >= 0 and tokens[left] == ",":
        left -= 1
    before = range(left, max(left - _ROLE_WINDOW, -1), -1)
    after = range(end + 1, min(end + 2 + _ROLE_WINDOW, len(tokens)))
    windows = [before, after] if appositive else [before]
    roles: set[str] = set()
    for window in windows:
        for position in window:
            token = tokens[position]
            if token in _BREAK or token == ",":
                break
            if token in ROLE_WORDS:
                roles.add(ROLE_WORDS[token])
    return roles


def role_episodes(sentences: Iterable[CorpusSentence], names: frozenset[str]) -> RoleHistory:
    """For each name, the first episode at which the corpus gives it each role."""
    since: RoleHistory = {}
    for sentence in sentences:
        for name, roles in mine_roles(sentence.text, names).items():
            for role in roles:
                since.setdefault(name, {}).setdefault(role, sentence.episode)
    return since
