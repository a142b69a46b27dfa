"""Permission computation as Discord does it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from playground.permissions import (
    ALL,
    EVERYONE_DEFAULT,
    Overwrite,
    P,
    apply_overwrites,
    base_permissions,
    names_of,
    parse_permissions,
)

GUILD, ROLE, MEMBER = 1, 2, 3


def _channel(base: int, overwrites: list[Overwrite], *, in_thread: bool = False) -> int:
    return apply_overwrites(
        base,
        guild_id=GUILD,
        member_id=MEMBER,
        member_role_ids=[GUILD, ROLE],
        overwrites=overwrites,
        in_thread=in_thread,
    )


def test_base_is_everyone_plus_roles() -> None:
    value = base_permissions(
        is_owner=False, everyone=int(EVERYONE_DEFAULT), role_permissions=[int(P.MANAGE_MESSAGES)]
    )
    assert value & P.MANAGE_MESSAGES and value & P.SEND_MESSAGES
    assert not value & P.MANAGE_GUILD


def test_owner_and_administrator_get_everything() -> None:
    assert base_permissions(is_owner=True, everyone=0, role_permissions=[]) == ALL
    assert (
        base_permissions(is_owner=False, everyone=0, role_permissions=[int(P.ADMINISTRATOR)]) == ALL
    )
    admin = _channel(ALL, [Overwrite(GUILD, 0, deny=int(P.VIEW_CHANNEL))])
    assert admin == ALL


def test_overwrite_order_everyone_then_roles_then_member() -> None:
    base = int(EVERYONE_DEFAULT)
    overwrites = [
        Overwrite(GUILD, 0, deny=int(P.SEND_MESSAGES)),
        Overwrite(ROLE, 0, allow=int(P.SEND_MESSAGES)),
    ]
    assert _channel(base, overwrites) & P.SEND_MESSAGES
    overwrites.append(Overwrite(MEMBER, 1, deny=int(P.SEND_MESSAGES)))
    assert not _channel(base, overwrites) & P.SEND_MESSAGES


def test_role_allow_beats_role_deny() -> None:
    overwrites = [Overwrite(ROLE, 0, allow=int(P.ATTACH_FILES), deny=int(P.ATTACH_FILES))]
    assert _channel(int(EVERYONE_DEFAULT) & ~P.ATTACH_FILES, overwrites) & P.ATTACH_FILES


def test_no_view_means_nothing_and_no_send_drops_extras() -> None:
    assert _channel(int(EVERYONE_DEFAULT), [Overwrite(GUILD, 0, deny=int(P.VIEW_CHANNEL))]) == 0
    muted = _channel(int(EVERYONE_DEFAULT), [Overwrite(GUILD, 0, deny=int(P.SEND_MESSAGES))])
    assert not muted & (P.EMBED_LINKS | P.ATTACH_FILES)
    assert muted & P.READ_MESSAGE_HISTORY
    in_thread = _channel(
        int(EVERYONE_DEFAULT), [Overwrite(GUILD, 0, deny=int(P.SEND_MESSAGES))], in_thread=True
    )
    assert in_thread & P.ATTACH_FILES


def test_names() -> None:
    assert (
        parse_permissions(["manage_messages", "MANAGE THREADS"])
        == P.MANAGE_MESSAGES | P.MANAGE_THREADS
    )
    assert parse_permissions(8) == 8
    assert names_of(int(P.MANAGE_MESSAGES | P.VIEW_CHANNEL)) == ["view_channel", "manage_messages"]


@given(st.integers(0, ALL), st.integers(0, ALL), st.integers(0, ALL))
def test_member_overwrite_has_the_last_word(base: int, allow: int, deny: int) -> None:
    value = _channel(
        base | int(P.VIEW_CHANNEL), [Overwrite(MEMBER, 1, allow=allow, deny=deny & ~allow)]
    )
    if value != ALL and value:
        assert value & allow & ~P.EMBED_LINKS & ~P.ATTACH_FILES & ~P.MENTION_EVERYONE == (
            allow & ~P.EMBED_LINKS & ~P.ATTACH_FILES & ~P.MENTION_EVERYONE
        )
