"""What members do: send, edit, delete, run commands, click, fill in modals, wait."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.clock import ManualClock
from playground import interact, ops
from playground.controls import Controls
from playground.events import Event
from playground.faults import Faults
from playground.model import FORUM, PUBLIC_THREAD, Attachment, Channel, Message, User
from playground.permissions import P as Perm


class PlaygroundError(RuntimeError):
    """An action the simulated member cannot carry out."""


class Actions(Controls):
    """Mixed into Playground: every action settles, then returns the events it produced."""

    clock: ManualClock
    bot: Any
    last_interaction: Any

    @property
    def events(self) -> list[Event]:
        """Everything people could see so far, in order."""
        return self.world.events

    @property
    def faults(self) -> Faults:  # pragma: no cover - provided by Playground
        """Fault injection."""
        raise NotImplementedError

    async def settle(self) -> None:  # pragma: no cover - provided by Playground
        """Wait until the bot is idle."""
        raise NotImplementedError

    async def _after(self, mark: int) -> list[Event]:
        await self.settle()
        return self.world.events[mark:]

    async def send(
        self, user: str, channel: str, content: str, *, files: Sequence[Path] = ()
    ) -> list[Event]:
        """A member posts a message; returns the events it led to (the message first)."""
        who, where = self.user(user), self.channel(channel)
        send = Perm.SEND_MESSAGES_IN_THREADS if where.is_thread else Perm.SEND_MESSAGES
        if not self.world.has(who.id, where, Perm.VIEW_CHANNEL | send):
            raise PlaygroundError(f"{who.name} cannot send messages in #{where.name}")
        mark = len(self.events)
        attachments = [self._upload(Path(f)) for f in files]
        ops.post_message(self.world, where, who, {"content": content}, attachments=attachments)
        return await self._after(mark)

    async def post(self, user: str, forum: str, title: str, content: str) -> list[Event]:
        """A member opens a post in a forum channel: a thread and its first message."""
        who, where = self.user(user), self.channel(forum)
        if where.type != FORUM or not self.world.has(who.id, where, Perm.SEND_MESSAGES):
            raise PlaygroundError(f"{who.name} cannot post in forum #{where.name}")
        mark = len(self.events)
        thread = ops.create_thread(self.world, where, title, who, kind=PUBLIC_THREAD)
        ops.post_message(self.world, thread, who, {"content": content})
        return await self._after(mark)

    async def edit(self, user: str, message: Message | Event | int, content: str) -> list[Event]:
        """A member edits one of their messages (MESSAGE_UPDATE); returns the events."""
        who, target = self.user(user), self.message(message)
        if target.author.id != who.id or target.webhook_id is not None:
            raise PlaygroundError(f"{who.name} can only edit their own messages")
        mark = len(self.events)
        ops.edit_message(self.world, target, {"content": content})
        return await self._after(mark)

    async def delete(self, user: str, message: Message | Event | int) -> list[Event]:
        """A member deletes a message (their own, or any with Manage Messages)."""
        who, target = self.user(user), self.message(message)
        channel = self.world.channels[target.channel_id]
        if target.author.id != who.id and not self.world.has(who.id, channel, Perm.MANAGE_MESSAGES):
            raise PlaygroundError(f"{who.name} cannot delete that message (needs Manage Messages)")
        mark = len(self.events)
        ops.delete_message(self.world, target)
        return await self._after(mark)

    def message(self, ref: Message | Event | int) -> Message:
        """A message from itself, the event that showed it, or its id."""
        if isinstance(ref, Message):
            return ref
        message_id = ref.message_id if isinstance(ref, Event) else ref
        found = self.world.messages.get(message_id or 0)
        if found is None or found.deleted:
            raise PlaygroundError(f"no such message: {message_id}")
        return found

    def _upload(self, path: Path) -> Attachment:
        world = self.world
        attachment_id = world.ids.next()
        url = f"{world.base_url}/attachments/{attachment_id}/{path.name}"
        attachment = Attachment(
            attachment_id, path.name, path.read_bytes(), "application/octet-stream", url
        )
        world.attachments[attachment_id] = attachment
        return attachment

    async def _interact(
        self,
        kind: int,
        who: User,
        where: Channel,
        data: dict[str, Any],
        message: Message | None = None,
        *,
        expect_answer: bool = True,
        trigger: int | None = None,
    ) -> list[Event]:
        mark = len(self.events)
        interaction, payload = interact.new_interaction(self.world, kind, who, where, data, message)
        interaction.trigger_id = trigger
        self.last_interaction = interaction
        self.world.dispatch("INTERACTION_CREATE", payload)
        events = await self._after(mark)
        if expect_answer and interaction.response_type is None:
            name, thread = self.world.display_channel(where)
            event = Event(
                "ephemeral",
                name,
                thread,
                "Discord",
                visible_to=[who.name],
                content="The application did not respond",
            )
            self.world.record(event)
            events.append(event)
        return events

    async def command(self, user: str, channel: str, text: str) -> list[Event]:
        """Run a slash command typed like `/progress set show:Ballard episode:S01E05`."""
        who, where = self.user(user), self.channel(channel)
        data = self._wrap(lambda: interact.command_data(self.world, who, where, text))
        return await self._interact(2, who, where, data)

    async def autocomplete(
        self, user: str, channel: str, command: str, option: str, value: str
    ) -> list[dict[str, Any]]:
        """The choices the bot offers while `option` holds `value` (other options in `command`)."""
        who, where = self.user(user), self.channel(channel)
        data = self._wrap(
            lambda: interact.command_data(self.world, who, where, command, (option, value))
        )
        await self._interact(4, who, where, data, expect_answer=False)
        return list(self.last_interaction.choices or [])

    async def click(self, user: str, label: str, *, channel: str | None = None) -> list[Event]:
        """Click the button labelled `label` on the newest message visible to `user` with one."""
        who = self.user(user)
        message, button = self._find_button(who, label, channel)
        data = {"custom_id": button["custom_id"], "component_type": 2}
        return await self._interact(3, who, self.world.channels[message.channel_id], data, message)

    async def select(
        self, user: str, select: str, values: Sequence[str], *, channel: str | None = None
    ) -> list[Event]:
        """Pick `values` in the select menu with this custom_id or placeholder."""
        who = self.user(user)
        for message in self._newest_visible(who, channel):
            for item in _walk(message.components):
                if item.get("type") in (3, 5, 6, 7, 8) and select in (
                    item.get("custom_id"),
                    item.get("placeholder"),
                ):
                    data = {
                        "custom_id": item["custom_id"],
                        "component_type": item["type"],
                        "values": list(values),
                    }
                    where = self.world.channels[message.channel_id]
                    return await self._interact(3, who, where, data, message)
        raise PlaygroundError(f"no select menu {select!r} visible to {who.name}")

    async def context_menu(
        self, user: str, name: str, target: Message | Event | str
    ) -> list[Event]:
        """Use a message context-menu command on a message (or event), or a user one on a name."""
        who = self.user(user)
        aim: Message | User
        if not isinstance(target, str):
            aim = self.message(target)
            where = self.world.channels[aim.channel_id]
        else:
            where, aim = self.channel("general"), self.user(target)
        data = self._wrap(lambda: interact.context_menu_data(self.world, who, where, name, aim))
        return await self._interact(2, who, where, data)

    async def submit_modal(
        self, user: str, values: dict[str, str], *, title: str | None = None
    ) -> list[Event]:
        """Fill in and submit the newest modal the bot showed to `user`."""
        who = self.user(user)
        opened = [
            i
            for i in self.world.interactions.values()
            if i.user_id == who.id
            and i.modal is not None
            and not i.submitted
            and (title is None or i.modal.get("title") == title)
        ]
        if not opened:
            raise PlaygroundError(f"no open modal for {who.name}")
        source = opened[-1]
        data = self._wrap(lambda: interact.modal_submit_data(source.modal or {}, values))
        source.submitted = True
        message = self.world.messages.get(source.message_id or 0)
        channel = self.world.channels[source.channel_id]
        return await self._interact(5, who, channel, data, message, trigger=source.id)

    async def advance(self, delta: timedelta) -> list[Event]:
        """Move the bot's clock forward, fire `on_clock_advanced`, and settle."""
        mark = len(self.events)
        now = self.clock.advance(delta)
        if self.bot is not None:
            self.bot.dispatch("clock_advanced", now)
        return await self._after(mark)

    async def drop_gateway(self) -> list[Event]:
        """Drop the gateway connection and wait until the bot has resumed."""
        mark = len(self.events)
        self.faults.drop_gateway()
        return await self._after(mark)

    # ---- helpers --------------------------------------------------------------------------

    @staticmethod
    def _wrap(build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        try:
            return build()
        except interact.InteractionError as exc:
            raise PlaygroundError(str(exc)) from None

    def _newest_visible(self, who: User, channel: str | None) -> list[Message]:
        where = self.channel(channel).id if channel else None
        found = [
            m
            for m in self.world.messages.values()
            if self.world.can_see(who.id, m) and (where is None or m.channel_id == where)
        ]
        return sorted(found, key=lambda m: m.id, reverse=True)

    def _find_button(
        self, who: User, label: str, channel: str | None
    ) -> tuple[Message, dict[str, Any]]:
        for message in self._newest_visible(who, channel):
            for button in message.buttons():
                if button.get("label") == label and not button.get("disabled"):
                    if "custom_id" not in button:
                        raise PlaygroundError(
                            f"[{label}] is a link button; it opens {button.get('url')}"
                        )
                    return message, button
        raise PlaygroundError(f"no button [{label}] on any message visible to {who.name}")


def _walk(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in components:
        out.append(item)
        out += _walk(item.get("components") or ([item["component"]] if "component" in item else []))
    return out
