"""Migration 0008 scopes the corpus by server without losing a sentence already stored."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.migrate import downgrade, upgrade

ROWS = (
    "INSERT INTO shows (id, title, slug, aliases, genres, catalogued, created_at) "
    "VALUES (1, 'Ballard', 'ballard', '[]', '[]', false, CURRENT_TIMESTAMP)",
    "INSERT INTO seasons (id, show_id, number) VALUES (1, 1, 1)",
    "INSERT INTO episodes (id, season_id, number) VALUES (1, 1, 1)",
    "INSERT INTO review_documents (id, episode_id, source_key, content_hash, body, imported_at) "
    "VALUES (1, 1, 'desk', 'h', 'Rawls grins.', CURRENT_TIMESTAMP)",
    "INSERT INTO sentences (id, document_id, episode_id, paragraph, position, text, kind) "
    "VALUES (1, 1, 1, 0, 0, 'Rawls grins.', 'narration')",
)


async def _sentences(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        return list((await connection.execute(text("SELECT text FROM sentences"))).scalars())


async def test_upgrade_and_downgrade_keep_shared_sentences(engine: AsyncEngine) -> None:
    await downgrade(engine, "0004")
    async with engine.begin() as connection:
        for statement in ROWS:
            await connection.execute(text(statement))
    await upgrade(engine)
    assert await _sentences(engine) == ["Rawls grins."]
    async with engine.connect() as connection:
        scopes = (await connection.execute(text("SELECT guild_id FROM sentences"))).scalars()
        assert list(scopes) == [None]
    await downgrade(engine, "0004")
    assert await _sentences(engine) == ["Rawls grins."]
