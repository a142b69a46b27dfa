"""Things that happen in the guild: messages, edits, deletes, threads, thread members."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from playground.events import (
    MENTION,
    Event,
    embed_spoilers,
    find_spoilers,
    summarize_embed,
    timestamp_text,
)
from playground.model import DM, LOADING, PRIVATE_THREAD, Attachment, Channel, Message, User
from playground.payloads import (
    channel_payload,
    message_payload,
    thread_member_payload,
    thread_payload,
)
from playground.world import World


def _normalize_embeds(embeds: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": "rich", **embed} for embed in embeds]


def number_components(components: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give every component Discord's numeric `id` (depth-first from 1) where missing."""
    counter = 0

    def walk(item: dict[str, Any]) -> dict[str, Any]:
        nonlocal counter
        counter += 1
        copy = {**item}
        copy.setdefault("id", counter)
        if "components" in copy:
            copy["components"] = [walk(child) for child in copy["components"]]
        if "component" in copy:
            copy["component"] = walk(copy["component"])
        if "accessory" in copy:
            copy["accessory"] = walk(copy["accessory"])
        return copy

    return [walk(item) for item in components]


def _mentions(world: World, content: str) -> list[User]:
    ids = [int(match[2]) for match in MENTION.finditer(content or "") if match[1] in ("@", "@!")]
    return [world.users[i] for i in dict.fromkeys(ids) if i in world.users]


def message_event(world: World, message: Message, kind: str | None = None) -> Event:
    """The event people see for a message being posted or edited."""
    channel = world.channels[message.channel_id]
    name, thread = world.display_channel(channel)
    visible: list[str] | None = None
    if message.visible_to is not None:
        visible = [world.users[message.visible_to].name]
    elif channel.type == DM:
        visible = [world.users[channel.recipient_id or 0].name]
    kind = kind or ("ephemeral" if message.visible_to is not None else "message")
    return Event(
        type=kind,
        channel=name,
        thread=thread,
        author=message.author.name,
        webhook=message.webhook_id is not None and message.interaction is None,
        visible_to=visible,
        content=message.content,
        embeds=[summarize_embed(e) for e in message.embeds],
        components=[
            b.get("label") or b.get("emoji", {}).get("name", "") for b in message.buttons()
        ],
        spoilers=find_spoilers(message.content) + embed_spoilers(message.embeds),
        attachments=[attachment.filename for attachment in message.attachments],
        message_id=message.id,
        names=mention_names(world, [message.content, json.dumps(message.embeds)]),
    )


def mention_names(world: World, texts: list[str]) -> dict[str, str]:
    """How a client shows each mention and timestamp: `<@1>` → `@alice`, `<#2>` → `#ballard`."""
    names = {}
    for text in texts:
        for match in MENTION.finditer(text or ""):
            if match[3] is not None:
                names[match[0]] = timestamp_text(int(match[3]), match[4], world.now())
                continue
            kind, ident = match[1], int(match[2])
            if kind == "#":
                channel = world.channels.get(ident)
                name = f"#{channel.name}" if channel else None
            elif kind == "@&":
                role = world.roles.get(ident)
                name = f"@{role.name.removeprefix('@')}" if role else None
            else:
                user = world.users.get(ident)
                name = f"@{user.name}" if user else None
            if name:
                names[match[0]] = name
    return names


def modal_event(world: World, user_id: int, channel_id: int, modal: dict[str, Any]) -> Event:
    """What a member sees when the bot opens a form: its title and fields, as prefilled."""
    name, thread = world.display_channel(world.channels[channel_id])
    lines = [f"📝 form “{modal.get('title', '')}” (answer with :modal FIELD=VALUE)"]
    for label, item in _form_fields(modal):
        need = " (required)" if item.get("required", True) else ""
        hint = f"e.g. {item['placeholder']}" if item.get("placeholder") else ""
        shown = item.get("value") or hint
        lines.append(f"{label}{need}: {shown}".rstrip())
    return Event(
        "modal",
        name,
        thread,
        world.bot_user.name,
        visible_to=[world.users[user_id].name],
        content="\n".join(lines),
    )


def _form_fields(modal: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    fields = []
    for row in modal.get("components") or []:
        if row.get("type") == 1:
            fields += [(item.get("label") or item["custom_id"], item) for item in row["components"]]
        elif row.get("type") == 18:
            fields.append((row.get("label") or row["component"]["custom_id"], row["component"]))
    return fields


def post_message(
    world: World,
    channel: Channel,
    author: User,
    body: dict[str, Any],
    *,
    webhook_id: int | None = None,
    attachments: Sequence[Attachment] = (),
    interaction: dict[str, Any] | None = None,
    visible_to: int | None = None,
    flags: int = 0,
) -> Message:
    """Create a message, tell the bot (unless ephemeral), and record the event."""
    message = Message(
        id=world.ids.next(),
        channel_id=channel.id,
        author=author,
        content=body.get("content") or "",
        created_at=world.timestamp(),
        embeds=_normalize_embeds(body.get("embeds") or []),
        components=number_components(body.get("components") or []),
        attachments=list(attachments),
        flags=flags | (int(body.get("flags") or 0) & ~LOADING),
        webhook_id=webhook_id,
        application_id=world.application_id if interaction else None,
        visible_to=visible_to,
        interaction=interaction,
        reference=_reference(body, channel),
    )
    message.mentions = _mentions(world, message.content)
    if interaction is not None:
        message.type = 20 if interaction.get("type") == 2 else 0
    world.messages[message.id] = message
    if channel.is_thread:
        channel.message_count += 1
    if visible_to is None:
        world.dispatch(
            "MESSAGE_CREATE", message_payload(world, message, for_bot=True, gateway=True)
        )
    if not message.flags & LOADING:
        world.record(message_event(world, message))
    if webhook_id is None and interaction is None:
        world.previews.posted(message)
    return message


def _reference(body: dict[str, Any], channel: Channel) -> dict[str, Any] | None:
    ref = body.get("message_reference")
    if not ref or not ref.get("message_id"):
        return None
    return {"type": 0, "message_id": str(ref["message_id"]), "channel_id": str(channel.id)}


def edit_message(world: World, message: Message, body: dict[str, Any]) -> Message:
    """Apply an edit; the first edit of a deferred (loading) message reads as its posting."""
    was_loading = bool(message.flags & LOADING)
    if "content" in body:
        message.content = body["content"] or ""
        message.mentions = _mentions(world, message.content)
    if "embeds" in body:
        message.embeds = _normalize_embeds(body["embeds"] or [])
    if "components" in body:
        message.components = number_components(body["components"] or [])
    if "attachments" in body and body["attachments"] is not None:
        keep = {str(a.get("id")) for a in body["attachments"]}
        message.attachments = [a for a in message.attachments if str(a.id) in keep]
    message.flags &= ~LOADING
    if not was_loading:
        message.edited_at = world.timestamp()
    if message.visible_to is None:
        world.dispatch(
            "MESSAGE_UPDATE", message_payload(world, message, for_bot=True, gateway=True)
        )
    world.record(message_event(world, message, None if was_loading else "edit"))
    return message


def delete_message(world: World, message: Message) -> None:
    """Delete a message and tell the bot."""
    message.deleted = True
    if message.visible_to is None:
        world.dispatch(
            "MESSAGE_DELETE",
            {
                "id": str(message.id),
                "channel_id": str(message.channel_id),
                "guild_id": str(world.guild_id),
            },
        )
    world.record(_delete_event(world, message))


def _delete_event(world: World, message: Message) -> Event:
    name, thread = world.display_channel(world.channels[message.channel_id])
    visible = [world.users[message.visible_to].name] if message.visible_to else None
    return Event(
        "delete", name, thread, message.author.name, visible_to=visible, message_id=message.id
    )


def bulk_delete(world: World, channel: Channel, messages: Sequence[Message]) -> None:
    """Delete several messages at once (one MESSAGE_DELETE_BULK event)."""
    for message in messages:
        message.deleted = True
        world.record(_delete_event(world, message))
    world.dispatch(
        "MESSAGE_DELETE_BULK",
        {
            "ids": [str(m.id) for m in messages],
            "channel_id": str(channel.id),
            "guild_id": str(world.guild_id),
        },
    )


def create_thread(
    world: World,
    parent: Channel,
    name: str,
    owner: User,
    *,
    kind: int,
    from_message: Message | None = None,
    invitable: bool = True,
) -> Channel:
    """Open a thread (from a message, the thread's id is the message's)."""
    thread = Channel(
        id=from_message.id if from_message else world.ids.next(),
        name=name,
        type=kind,
        parent_id=parent.id,
        owner_id=owner.id,
        created_at=world.timestamp(),
        invitable=invitable,
    )
    world.channels[thread.id] = thread
    world.dispatch("THREAD_CREATE", {**thread_payload(world, thread), "newly_created": True})
    parent_name, _ = world.display_channel(parent)
    world.record(Event("thread", parent_name, name, owner.name, message_id=thread.id))
    add_thread_member(world, thread, owner, announce=False)
    return thread


def add_thread_member(world: World, thread: Channel, user: User, *, announce: bool = True) -> None:
    """Add a member to a thread (THREAD_MEMBERS_UPDATE)."""
    if user.id in thread.members:
        return
    thread.members[user.id] = world.timestamp()
    member = {
        **thread_member_payload(world, thread, user.id),
        "member": world.members[user.id].payload(),
    }
    _members_update(world, thread, added=[member])
    if announce:
        _member_event(world, thread, user, "added")


def remove_thread_member(world: World, thread: Channel, user: User) -> None:
    """Remove a member from a thread (THREAD_MEMBERS_UPDATE)."""
    if thread.members.pop(user.id, None) is None:
        return
    _members_update(world, thread, removed=[str(user.id)])
    _member_event(world, thread, user, "removed")


def _members_update(
    world: World,
    thread: Channel,
    *,
    added: list[dict[str, Any]] | None = None,
    removed: list[str] | None = None,
) -> None:
    data: dict[str, Any] = {
        "id": str(thread.id),
        "guild_id": str(world.guild_id),
        "member_count": min(len(thread.members), 50),
    }
    if added:
        data["added_members"] = added
    if removed:
        data["removed_member_ids"] = removed
    world.dispatch("THREAD_MEMBERS_UPDATE", data)


def _member_event(world: World, thread: Channel, user: User, what: str) -> None:
    parent, name = world.display_channel(thread)
    visible = None
    if thread.type == PRIVATE_THREAD:
        visible = sorted(world.users[u].name for u in thread.members if u in world.users)
    world.record(Event("thread_member", parent, name, user.name, visible_to=visible, content=what))


def update_thread(world: World, thread: Channel, body: dict[str, Any]) -> Channel:
    """Rename, archive, lock or change invitability of a thread (THREAD_UPDATE)."""
    for key in ("name", "archived", "locked", "invitable"):
        if key in body and body[key] is not None:
            setattr(thread, key, body[key])
    world.dispatch("THREAD_UPDATE", thread_payload(world, thread))
    return thread


def update_channel(world: World, channel: Channel) -> None:
    """Tell the bot a channel changed (CHANNEL_UPDATE)."""
    world.dispatch("CHANNEL_UPDATE", channel_payload(world, channel))
