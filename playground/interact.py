"""Build the interactions a Discord client sends: commands, autocomplete, clicks, modals."""

from __future__ import annotations

import mimetypes
import shlex
from pathlib import Path
from typing import Any

from playground import commands
from playground.model import Attachment, Channel, Interaction, Message, User
from playground.payloads import channel_payload, message_payload
from playground.permissions import P as Perm
from playground.permissions import names_of
from playground.world import World

SUB_COMMAND, GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)


class InteractionError(ValueError):
    """The member cannot do that in Discord's client (unknown command, bad option...)."""


def split_command(text: str) -> list[str]:
    """Split `/cmd sub name:value name:"two words"` into tokens."""
    try:
        return shlex.split(text.strip())
    except ValueError as exc:
        raise InteractionError(f"bad syntax in {text!r}: {exc}") from None


def find_command(world: World, name: str, kind: int = 1) -> dict[str, Any]:
    """A registered command by name and type (guild commands win over global ones)."""
    found = [c for c in world.commands.values() if c["name"] == name and c.get("type", 1) == kind]
    if not found:
        known = sorted(c["name"] for c in world.commands.values() if c.get("type", 1) == kind)
        raise InteractionError(
            f"no command called {name!r} (registered: {', '.join(known) or 'none'})"
        )
    found.sort(key=lambda c: c["_guild"] is None)
    return found[0]


def _permission_gate(world: World, user: User, channel: Channel, command: dict[str, Any]) -> None:
    have = world.permissions(user.id, channel)
    if not have & Perm.USE_APPLICATION_COMMANDS:
        raise InteractionError(f"{user.name} cannot use application commands in #{channel.name}")
    if not commands.can_see(world, user, channel, command):
        needed = commands.required_permissions(command) or 0
        missing = ", ".join(names_of(needed & ~have)) or "permissions"
        raise InteractionError(f"{user.name} cannot see /{command['name']} (needs {missing})")


class _Resolver:
    """Turns typed option text into Discord values and the `resolved` map."""

    def __init__(self, world: World, channel: Channel) -> None:
        self.world = world
        self.channel = channel
        self.resolved: dict[str, dict[str, Any]] = {}

    def _add(self, kind: str, key: int, value: dict[str, Any]) -> str:
        self.resolved.setdefault(kind, {})[str(key)] = value
        return str(key)

    def user(self, text: str) -> str:
        user = self.world.ensure_user(text)
        member = self.world.members[user.id].payload(with_user=False)
        member["permissions"] = str(self.world.permissions(user.id, self.channel))
        self._add("members", user.id, member)
        return self._add("users", user.id, user.payload())

    def channel_option(self, text: str) -> str:
        channel = self.world.ensure_channel(text)
        data = channel_payload(self.world, channel)
        data["permissions"] = "0"
        return self._add("channels", channel.id, data)

    def role(self, text: str) -> str:
        try:
            role = self.world.role(text)
        except KeyError:
            raise InteractionError(f"no role called {text!r}") from None
        return self._add("roles", role.id, role.payload())

    def attachment(self, text: str) -> str:
        path = Path(text).expanduser()
        if not path.is_file():
            raise InteractionError(f"no file at {text!r}")
        world = self.world
        attachment_id = world.ids.next()
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        url = f"{world.base_url}/attachments/{attachment_id}/{path.name}"
        world.attachments[attachment_id] = Attachment(
            attachment_id, path.name, path.read_bytes(), ctype, url
        )
        return self._add("attachments", attachment_id, world.attachments[attachment_id].payload())

    def value(self, option: dict[str, Any], text: str) -> Any:
        kind = option.get("type")
        for choice in option.get("choices") or []:
            if text in (choice["name"], str(choice["value"])):
                return choice["value"]
        if option.get("choices"):
            names = ", ".join(c["name"] for c in option["choices"])
            raise InteractionError(f"{option['name']} must be one of: {names}")
        try:
            return self._convert(kind, text)
        except ValueError:
            raise InteractionError(f"{option['name']}: {text!r} is not a valid value") from None

    def _convert(self, kind: int | None, text: str) -> Any:
        if kind == INTEGER:
            return int(text)
        if kind == NUMBER:
            return float(text)
        if kind == BOOLEAN:
            if text.lower() not in ("true", "false", "yes", "no"):
                raise ValueError(text)
            return text.lower() in ("true", "yes")
        if kind == USER:
            return self.user(text)
        if kind == CHANNEL:
            return self.channel_option(text)
        if kind == ROLE:
            return self.role(text)
        if kind == MENTIONABLE:
            return self.user(text) if self.world.find_user(text) else self.role(text)
        if kind == ATTACHMENT:
            return self.attachment(text)
        return text


def build_options(
    world: World,
    channel: Channel,
    command: dict[str, Any],
    tokens: list[str],
    focus: tuple[str, str] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Options for the tokens after the command name, walking subcommands and groups."""
    specs = command.get("options") or []
    path: list[dict[str, Any]] = []
    while tokens and ":" not in tokens[0]:
        sub = next((o for o in specs if o["name"] == tokens[0] and o["type"] in (1, 2)), None)
        if sub is None:
            raise InteractionError(f"/{command['name']} has no subcommand {tokens[0]!r}")
        path.append({"type": sub["type"], "name": sub["name"]})
        specs = sub.get("options") or []
        tokens = tokens[1:]
    if any(o["type"] in (SUB_COMMAND, GROUP) for o in specs):
        names = ", ".join(o["name"] for o in specs)
        raise InteractionError(f"/{command['name']} needs a subcommand: {names}")
    resolver = _Resolver(world, channel)
    leaf = _leaf_options(resolver, command["name"], specs, tokens, focus)
    nested: list[dict[str, Any]] = leaf
    for node in reversed(path):
        nested = [{**node, "options": nested}]
    return nested, resolver.resolved


def _leaf_options(
    resolver: _Resolver,
    name: str,
    specs: list[dict[str, Any]],
    tokens: list[str],
    focus: tuple[str, str] | None,
) -> list[dict[str, Any]]:
    given: dict[str, str] = {}
    for token in tokens:
        key, sep, value = token.partition(":")
        if not sep:
            raise InteractionError(f"expected name:value, got {token!r}")
        given[key] = value
    known = {o["name"]: o for o in specs}
    options: list[dict[str, Any]] = []
    for key, value in given.items():
        if key not in known:
            raise InteractionError(f"/{name} has no option {key!r} (options: {', '.join(known)})")
        options.append(
            {"type": known[key]["type"], "name": key, "value": resolver.value(known[key], value)}
        )
    if focus is not None:
        if focus[0] not in known:
            raise InteractionError(f"/{name} has no option {focus[0]!r}")
        options = [o for o in options if o["name"] != focus[0]]
        options.append(
            {"type": known[focus[0]]["type"], "name": focus[0], "value": focus[1], "focused": True}
        )
    else:
        missing = [o["name"] for o in specs if o.get("required") and o["name"] not in given]
        if missing:
            raise InteractionError(f"/{name} is missing required option(s): {', '.join(missing)}")
    return options


def new_interaction(
    world: World,
    kind: int,
    user: User,
    channel: Channel,
    data: dict[str, Any],
    message: Message | None = None,
) -> tuple[Interaction, dict[str, Any]]:
    """Register an interaction and build its INTERACTION_CREATE payload."""
    interaction_id = world.ids.next()
    interaction = Interaction(
        interaction_id,
        f"interaction-token-{interaction_id}",
        kind,
        user.id,
        channel.id,
        data,
        message_id=message.id if message else None,
        sent_clock=world.now(),
    )
    world.interactions[interaction_id] = interaction
    member = world.members[user.id].payload()
    member["permissions"] = str(world.permissions(user.id, channel))
    channel_data = channel_payload(world, channel)
    channel_data["permissions"] = member["permissions"]
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(world.application_id),
        "type": kind,
        "data": data,
        "guild_id": str(world.guild_id),
        "guild": {"id": str(world.guild_id), "locale": "en-US", "features": []},
        "channel_id": str(channel.id),
        "channel": channel_data,
        "member": member,
        "token": interaction.token,
        "version": 1,
        "app_permissions": str(world.permissions(world.bot_user.id, channel)),
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(world.guild_id)},
        "context": 0,
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    if message is not None:
        payload["message"] = message_payload(world, message, gateway=True)
    return interaction, payload


def command_data(
    world: World, user: User, channel: Channel, text: str, focus: tuple[str, str] | None = None
) -> dict[str, Any]:
    """The `data` of a slash-command (or autocomplete) interaction for `/name sub opt:value`."""
    tokens = split_command(text)
    if not tokens or not tokens[0].startswith("/"):
        raise InteractionError(f"a command starts with '/', got {text!r}")
    command = find_command(world, tokens[0][1:])
    _permission_gate(world, user, channel, command)
    options, resolved = build_options(world, channel, command, tokens[1:], focus)
    data: dict[str, Any] = {
        "id": str(command["_id"]),
        "name": command["name"],
        "type": 1,
        "options": options,
        "guild_id": str(world.guild_id),
    }
    if resolved:
        data["resolved"] = resolved
    return data


def context_menu_data(
    world: World, user: User, channel: Channel, name: str, target: Message | User
) -> dict[str, Any]:
    """The `data` of a message or user context-menu interaction."""
    kind = 3 if isinstance(target, Message) else 2
    command = find_command(world, name, kind)
    _permission_gate(world, user, channel, command)
    data: dict[str, Any] = {
        "id": str(command["_id"]),
        "name": name,
        "type": kind,
        "target_id": str(target.id),
        "guild_id": str(world.guild_id),
    }
    if isinstance(target, Message):
        data["resolved"] = {"messages": {str(target.id): message_payload(world, target)}}
    else:
        member = world.members[target.id].payload(with_user=False)
        member["permissions"] = str(world.permissions(target.id, channel))
        data["resolved"] = {
            "users": {str(target.id): target.payload()},
            "members": {str(target.id): member},
        }
    return data


def _field_key(values: dict[str, str], custom_id: str, label: str) -> str | None:
    """Which answer fills this field: its custom_id, its label, or the label's first word."""
    for key in values:
        if key == custom_id or key.lower() == label.lower():
            return key
    first = label.lower().split()[0] if label.strip() else ""
    return next((key for key in values if key.lower() == first), None)


def modal_submit_data(modal: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """Mirror a modal's components with the member's answers.

    Answers are keyed by a field's custom_id, its label, or the label's first word
    (case-insensitive): `{"episode": "S01E05"}` fills "Episode it spoils".
    """
    used: set[str] = set()

    def answer(item: dict[str, Any], label: str | None) -> dict[str, Any]:
        name = label or item.get("label") or ""
        key = _field_key(values, item["custom_id"], name)
        value = values[key] if key is not None else item.get("value") or ""
        if key is not None:
            used.add(key)
        elif item.get("required", True) and item.get("type") == 4 and not value:
            raise InteractionError(f"modal field {name or item['custom_id']!r} is required")
        return {"type": item["type"], "custom_id": item["custom_id"], "value": value}

    rows = []
    for row in modal.get("components") or []:
        if row.get("type") == 1:
            rows.append({"type": 1, "components": [answer(c, None) for c in row["components"]]})
        elif row.get("type") == 18:
            rows.append({"type": 18, "component": answer(row["component"], row.get("label"))})
    unknown = set(values) - used
    if unknown:
        raise InteractionError(f"the modal has no field {sorted(unknown)[0]!r}")
    return {"custom_id": modal["custom_id"], "components": rows}
