"""How much one corpus import may hold: every cap the importer checks, in one typed place.

Each cap stops a hostile or broken file with one line naming the file and the field, before
anything reaches memory in bulk or the database (whose columns have their own widths).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ImportLimits:
    """Caps on files, fields and counts of a corpus import."""

    document_bytes: int = 200_000
    catalogue_bytes: int = 64_000
    header_bytes: int = 8_000
    sentences_per_document: int = 5_000
    show_title_chars: int = 200
    title_chars: int = 300
    source_chars: int = 200
    author_chars: int = 200
    premise_chars: int = 4_000
    list_items: int = 50
    list_item_chars: int = 100
    highest_number: int = 999
    seasons: int = 100
    episodes_per_season: int = 500
    episodes_per_show: int = 5_000
    files: int = 50_000
    import_bytes: int = 512_000_000
    earliest_year: int = 1900
    latest_year: int = 2200


LIMITS = ImportLimits()
"""The limits every import uses (the README's corpus section lists them)."""


def unstorable(text: str) -> bool:
    """Whether text holds what no text column takes: a NUL, or an unpaired surrogate."""
    return "\x00" in text or any("\ud800" <= char <= "\udfff" for char in text)
