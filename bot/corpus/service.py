"""Import review files and show catalogues into the database, all in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import EpisodeRef, ShowLayout
from bot.catalog.specs import ShowSpec
from bot.catalog.store import load_catalog
from bot.corpus.documents import DocumentOverrides, ParsedDocument
from bot.corpus.files import (
    CorpusImportError,
    collect_files,
    parse_files,
)
from bot.corpus.header import shown
from bot.corpus.limits import LIMITS
from bot.corpus.sentences import split_sentences
from bot.errors import CliffhangerError, EpisodeError
from bot.wording import plural
from db import shows as show_queries
from db.corpus import coverage_lines, in_layer
from db.models import Episode, ReviewDocument, Sentence, Show


@dataclass(slots=True)
class ImportSummary:
    """What an import changed."""

    files: int = 0
    shows_added: int = 0
    shows_updated: int = 0
    documents_added: int = 0
    documents_updated: int = 0
    documents_unchanged: int = 0
    episodes: set[tuple[str, str]] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        """Whether anything was written."""
        return bool(
            self.shows_added or self.shows_updated or self.documents_added or self.documents_updated
        )

    def describe(self) -> str:
        """A one-paragraph human summary."""
        shows = len({show for show, _ in self.episodes})
        return (
            f"{plural(self.files, 'file', 'files')}: {plural(shows, 'show', 'shows')}, "
            f"{plural(len(self.episodes), 'episode', 'episodes')}; reviews "
            f"{self.documents_added} added, {self.documents_updated} updated, "
            f"{self.documents_unchanged} unchanged; catalogues {self.shows_added} added, "
            f"{self.shows_updated} updated."
        )


async def import_paths(
    sessions: async_sessionmaker[AsyncSession],
    paths: Sequence[Path],
    *,
    overrides: DocumentOverrides | None = None,
    on_file: Callable[[], None] | None = None,
) -> ImportSummary:
    """Import catalogues and reviews; any bad file aborts the whole import."""
    catalogues, documents = collect_files([Path(p) for p in paths])
    specs, parsed = parse_files(catalogues, documents, overrides, on_file)
    summary = ImportSummary(files=len(catalogues) + len(documents))
    async with sessions.begin() as session:
        for spec in specs:
            _show, created = await _upsert_show(session, spec)
            summary.shows_added += created
            summary.shows_updated += not created
        await _store_documents(session, parsed, summary)
    return summary


async def _upsert_show(session: AsyncSession, spec: ShowSpec) -> tuple[Show, bool]:
    return await show_queries.upsert_show(
        session,
        spec.title,
        aliases=spec.aliases,
        genres=spec.genres,
        premise=spec.premise,
        year=spec.year,
        seasons=[(season.number, season.episode_titles) for season in spec.seasons],
    )


async def import_documents(
    sessions: async_sessionmaker[AsyncSession],
    documents: Sequence[ParsedDocument],
    guild_id: int | None = None,
) -> ImportSummary:
    """Store already-parsed documents in one transaction: in a server's own layer if given.

    A server's layer (`/corpus add`) is read only by that server; without one, the documents
    join the shared corpus every server reads.
    """
    summary = ImportSummary(files=len(documents))
    async with sessions.begin() as session:
        await _store_documents(session, documents, summary, guild_id)
    return summary


async def corpus_overview(session: AsyncSession, show_filter: str | None = None) -> list[str]:
    """One line per show (or only the one `show_filter` names): how much of it has reviews."""
    show_id = (await load_catalog(session)).resolve(show_filter).id if show_filter else None
    return await coverage_lines(session, show_id)


async def _store_documents(
    session: AsyncSession,
    documents: Sequence[ParsedDocument],
    summary: ImportSummary,
    guild_id: int | None = None,
) -> None:
    resolver = _ShowResolver(session)
    await resolver.load()
    existing = {
        (episode_id, source_key): (doc_id, content_hash)
        for doc_id, episode_id, source_key, content_hash in await session.execute(
            select(
                ReviewDocument.id,
                ReviewDocument.episode_id,
                ReviewDocument.source_key,
                ReviewDocument.content_hash,
            ).where(in_layer(ReviewDocument.guild_id, guild_id))
        )
    }
    problems: list[str] = []
    located: list[tuple[ParsedDocument, Show, EpisodeRef]] = []
    for document in documents:
        ref = EpisodeRef(document.season, document.episode)
        try:
            show = await resolver.show_for(document)
            resolver.need(show, ref)
        except CliffhangerError as error:
            field = "episode" if isinstance(error, EpisodeError) else "show"
            problems.append(f"{document.path}:1: {field}: {error}")
            continue
        summary.episodes.add((show.title, ref.code))
        located.append((document, show, ref))
    if problems:
        raise CorpusImportError(problems)
    episode_ids = await resolver.episode_ids()
    pending = [(document, episode_ids[(show.id, ref)]) for document, show, ref in located]
    await _write_documents(session, pending, existing, summary, guild_id)


async def _write_documents(
    session: AsyncSession,
    pending: list[tuple[ParsedDocument, int]],
    existing: dict[tuple[int, str], tuple[int, str]],
    summary: ImportSummary,
    guild_id: int | None,
) -> None:
    new_rows: list[dict[str, object]] = []
    new_docs: list[tuple[ParsedDocument, int]] = []
    sentence_rows: list[dict[str, object]] = []
    seen: set[tuple[int, str]] = set()
    for document, episode_id in pending:
        key = (episode_id, document.source_key)
        if key in seen:
            raise CorpusImportError(
                [
                    f"{document.path}:1: source: two files are the same review "
                    f"({shown(document.source_key)}) "
                    f"of {document.show} S{document.season:02d}E{document.episode:02d}"
                ]
            )
        seen.add(key)
        if key in existing and existing[key][1] == document.content_hash:
            summary.documents_unchanged += 1
            continue
        if key in existing:
            doc_id = existing[key][0]
            await session.execute(delete(Sentence).where(Sentence.document_id == doc_id))
            await session.execute(
                update(ReviewDocument)
                .where(ReviewDocument.id == doc_id)
                .values(**_document_values(document, episode_id, guild_id))
            )
            sentence_rows.extend(_sentence_rows(document, doc_id, episode_id, guild_id))
            summary.documents_updated += 1
        else:
            new_rows.append(_document_values(document, episode_id, guild_id))
            new_docs.append((document, episode_id))
    if new_rows:
        connection = await session.connection()
        await connection.execute(insert(ReviewDocument), new_rows)
        keys = {(doc.source_key, ep) for doc, ep in new_docs}
        ids = await _document_ids(session, keys, guild_id)
        for document, episode_id in new_docs:
            doc_id = ids[(episode_id, document.source_key[:200])]
            sentence_rows.extend(_sentence_rows(document, doc_id, episode_id, guild_id))
        summary.documents_added += len(new_rows)
    if sentence_rows:
        connection = await session.connection()
        await connection.execute(insert(Sentence), sentence_rows)


async def _document_ids(
    session: AsyncSession, keys: set[tuple[str, int]], guild_id: int | None
) -> dict[tuple[int, str], int]:
    """Ids of just-inserted documents by (episode, source); one query, no RETURNING."""
    episode_ids = {episode_id for _source, episode_id in keys}
    rows = await session.execute(
        select(ReviewDocument.id, ReviewDocument.episode_id, ReviewDocument.source_key).where(
            ReviewDocument.episode_id.in_(episode_ids), in_layer(ReviewDocument.guild_id, guild_id)
        )
    )
    return {(episode_id, source): doc_id for doc_id, episode_id, source in rows}


def _document_values(
    document: ParsedDocument, episode_id: int, guild_id: int | None
) -> dict[str, object]:
    return {
        "episode_id": episode_id,
        "guild_id": guild_id,
        "source_key": document.source_key[:200],
        "source": document.source,
        "author": document.author,
        "title": document.title,
        "rating": document.rating,
        "aired": document.aired,
        "path": document.path[-500:],
        "content_hash": document.content_hash,
        "body": document.body,
    }


def _sentence_rows(
    document: ParsedDocument, doc_id: int, episode_id: int, guild_id: int | None
) -> list[dict[str, object]]:
    sentences = split_sentences(document.body)
    if len(sentences) > LIMITS.sentences_per_document:
        cap = LIMITS.sentences_per_document
        raise CorpusImportError([f"{document.path}: body: more than {cap} sentences"])
    return [
        {
            "document_id": doc_id,
            "episode_id": episode_id,
            "guild_id": guild_id,
            "paragraph": sentence.paragraph,
            "position": sentence.position,
            "text": sentence.text,
            "kind": sentence.kind,
        }
        for sentence in sentences
    ]


class _ShowResolver:
    """Finds (or creates) the show and episode each document belongs to."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._shows: dict[str, Show] = {}
        self._needed: dict[int, tuple[Show, set[EpisodeRef]]] = {}

    async def load(self) -> None:
        self._catalog = await load_catalog(self._session)

    async def show_for(self, document: ParsedDocument) -> Show:
        key = document.show.casefold()
        if key in self._shows:
            return self._shows[key]
        match = self._catalog.closest(document.show)
        if match is not None:
            show = await show_queries.get_show(self._session, match.id)
            assert show is not None
        else:
            show = await show_queries.find_show_by_title(self._session, document.show)
            show = show or await show_queries.create_show(self._session, document.show)
        self._shows[key] = show
        return show

    def need(self, show: Show, ref: EpisodeRef) -> None:
        """Note an episode a document needs; a catalogued show must already have it."""
        if show.catalogued:
            layout = ShowLayout(show.title, {s.number: len(s.episodes) for s in show.seasons})
            layout.check(ref)
        self._needed.setdefault(show.id, (show, set()))[1].add(ref)

    async def episode_ids(self) -> dict[tuple[int, EpisodeRef], int]:
        """Ids of every needed episode, inserting missing ones in one batch (no RETURNING)."""
        for show, refs in self._needed.values():
            for ref in refs:
                show_queries.ensure_season(show, ref.season)
        await self._session.flush()
        season_ids = {
            season.id: (show.id, season.number)
            for show, _refs in self._needed.values()
            for season in show.seasons
        }
        known = await self._known_episodes(season_ids)
        season_of = {place: season_id for season_id, place in season_ids.items()}
        missing = [
            {"season_id": season_of[(show.id, ref.season)], "number": ref.episode}
            for show, refs in self._needed.values()
            for ref in sorted(refs)
            if (show.id, ref) not in known
        ]
        if missing:
            connection = await self._session.connection()
            await connection.execute(insert(Episode), missing)
            known = await self._known_episodes(season_ids)
        return known

    async def _known_episodes(
        self, season_ids: dict[int, tuple[int, int]]
    ) -> dict[tuple[int, EpisodeRef], int]:
        rows = await self._session.execute(
            select(Episode.id, Episode.season_id, Episode.number).where(
                Episode.season_id.in_(season_ids)
            )
        )
        result = {}
        for episode_id, season_id, number in rows:
            show_id, season = season_ids[season_id]
            result[(show_id, EpisodeRef(season, number))] = episode_id
        return result
