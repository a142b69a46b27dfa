"""Show queries' own helpers."""

from __future__ import annotations

from db.shows import slugify


def test_slugify() -> None:
    assert slugify("The Lantern Keeper") == "the-lantern-keeper"
    assert slugify("Tilly Ferncastle's Flying Shop!") == "tilly-ferncastle-s-flying-shop"
