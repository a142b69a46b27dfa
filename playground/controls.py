"""Harness controls for roles, member roles and channel overwrites."""

from __future__ import annotations

from collections.abc import Iterable

from playground import ops
from playground.commands import visible_commands
from playground.model import FORUM, VOICE, Channel, Message, Role, User, Webhook
from playground.permissions import Overwrite, parse_permissions
from playground.world import World

Perms = Iterable[str] | int


class Controls:
    """Mixed into Playground: change the guild the way a server admin would."""

    world: World

    def user(self, name: str) -> User:
        """The member called `name` (joins on first use)."""
        return self.world.ensure_user(name)

    def channel(self, name: str) -> Channel:
        """The text channel or thread called `name` (text channels are created on first use)."""
        return self.world.ensure_channel(name)

    def forum(self, name: str) -> Channel:
        """The forum channel called `name` (created on first use); members post with `post`."""
        return self.world.ensure_channel(name, FORUM)

    def voice(self, name: str) -> Channel:
        """The voice channel called `name` (created on first use), with its text chat."""
        return self.world.ensure_channel(name, VOICE)

    def add_webhooks(self, channel: str, count: int, *, name: str = "Another app") -> None:
        """Give a channel `count` webhooks that other people made (not the bot's)."""
        world, where = self.world, self.channel(channel)
        for _ in range(count):
            hook_id = world.ids.next()
            hook = Webhook(hook_id, f"other-token-{hook_id}", where.id, name, world.owner.id)
            world.webhooks[hook.id] = hook

    def thread(self, name: str) -> Channel:
        """An existing thread by name."""
        found = [c for c in self.world.channels.values() if c.is_thread and c.name == name]
        if not found:
            raise KeyError(f"no thread called {name!r}")
        return found[-1]

    def role(self, name: str) -> Role:
        """A role by name: `@everyone`, `Admin`, `Moderator`, `Cliffhanger` or one you created."""
        return self.world.role(name)

    def create_role(self, name: str, permissions: Perms = ()) -> Role:
        """Add a role with these permissions (names like `manage_messages`, or bits)."""
        world = self.world
        role = Role(world.ids.next(), name, parse_permissions(permissions), len(world.roles))
        world.roles[role.id] = role
        world.dispatch(
            "GUILD_ROLE_CREATE", {"guild_id": str(world.guild_id), "role": role.payload()}
        )
        return role

    def set_role_permissions(self, name: str, permissions: Perms) -> Role:
        """Replace a role's permissions (use `@everyone` for the default role)."""
        role = self.role(name)
        role.permissions = parse_permissions(permissions)
        self.world.dispatch(
            "GUILD_ROLE_UPDATE", {"guild_id": str(self.world.guild_id), "role": role.payload()}
        )
        return role

    def give_role(self, user: str, role: str) -> None:
        """Add a role to a member."""
        member = self.world.members[self.user(user).id]
        role_id = self.role(role).id
        if role_id not in member.role_ids:
            member.role_ids.append(role_id)
            self._member_update(member.user)

    def take_role(self, user: str, role: str) -> None:
        """Remove a role from a member."""
        member = self.world.members[self.user(user).id]
        role_id = self.role(role).id
        if role_id in member.role_ids:
            member.role_ids.remove(role_id)
            self._member_update(member.user)

    def set_member_permissions(self, user: str, permissions: Perms) -> Role:
        """Give a member exactly these extra permissions through a personal role."""
        name = f"{self.user(user).name}-permissions"
        try:
            role = self.set_role_permissions(name, permissions)
        except KeyError:
            role = self.create_role(name, permissions)
        self.give_role(user, name)
        return role

    def set_bot_permissions(self, permissions: Perms) -> Role:
        """Replace the bot role's permissions."""
        return self.set_role_permissions("Cliffhanger", permissions)

    def overwrite(self, channel: str, target: str, *, allow: Perms = (), deny: Perms = ()) -> None:
        """Set a channel overwrite for a role (`@everyone`, `Moderator`…) or a member (`bob`)."""
        world = self.world
        where = self.channel(channel)
        if where.is_thread:
            where = world.channels[where.parent_id or 0]
        user = world.find_user(target)
        if user is not None and target not in ("@everyone",):
            entry = Overwrite(user.id, 1, parse_permissions(allow), parse_permissions(deny))
        else:
            role = self.role(target)
            entry = Overwrite(role.id, 0, parse_permissions(allow), parse_permissions(deny))
        where.overwrites = [o for o in where.overwrites if o.id != entry.id] + [entry]
        ops.update_channel(world, where)

    def permissions_of(self, user: str, channel: str) -> int:
        """The permissions Discord would compute for a member in a channel."""
        return self.world.permissions(self.user(user).id, self.channel(channel))

    def has_command(self, name: str) -> bool:
        """Whether the bot registered a slash command with this name."""
        return any(
            c["name"] == name and c.get("type", 1) == 1 for c in self.world.commands.values()
        )

    def allow_command(self, command: str, target: str) -> None:
        """Let a role or member use a command whatever its default permissions (Integrations)."""
        user = self.world.find_user(target)
        subject = user.id if user is not None else self.role(target).id
        self.world.command_overrides.setdefault(command, set()).add(subject)

    def commands_for(self, user: str, channel: str) -> list[str]:
        """Names of the slash commands Discord's client offers this member in this channel."""
        found = visible_commands(self.world, self.user(user), self.channel(channel))
        return sorted({command["name"] for command in found})

    def visible_messages(self, user: str, channel: str) -> list[Message]:
        """Messages the member can see in the channel or thread, oldest first."""
        who = self.user(user)
        where = self.channel(channel)
        return [
            m
            for m in self.world.messages.values()
            if m.channel_id == where.id and self.world.can_see(who.id, m)
        ]

    def _member_update(self, user: User) -> None:
        member = self.world.members[user.id]
        data = {**member.payload(), "guild_id": str(self.world.guild_id)}
        self.world.dispatch("GUILD_MEMBER_UPDATE", data)
