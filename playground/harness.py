"""`Playground`: the real bot against a simulated Discord, driven by tests and the CLI."""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
import warnings
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.clock import ManualClock
from playground import interact, ops
from playground.contract import Contract, Violation
from playground.controls import Controls
from playground.events import Event
from playground.faults import Faults
from playground.gateway import TOKEN
from playground.model import Attachment, Message, User
from playground.permissions import P as Perm
from playground.routes_core import routes as core_routes
from playground.routing import Routes
from playground.server import Server
from playground.settle import BUSY_TASK_PREFIXES, busy_tasks, wait_until_idle
from playground.world import World

log = logging.getLogger(__name__)
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT / "corpus"
GUILD_READY_TIMEOUT = 0.02


class PlaygroundError(RuntimeError):
    """An action the simulated member cannot carry out."""


class ContractViolationError(AssertionError):
    """The bot sent something Discord's API contract does not allow."""


def all_routes() -> Routes:
    """Every REST route the playground serves."""
    from playground.routes_channels import routes as channel_routes
    from playground.routes_hooks import routes as hook_routes

    table = Routes()
    for part in (core_routes, channel_routes, hook_routes):
        table.extend(part)
    return table


class Playground(Controls):
    """A simulated Discord server with the real Cliffhanger bot connected to it."""

    def __init__(
        self,
        *,
        database_url: str | None = None,
        corpus: Sequence[Path | str] | None = None,
        extensions: tuple[str, ...] | None = None,
        guild_name: str = "Cliffhanger Playground",
        clock: ManualClock | None = None,
        validate_responses: bool = True,
        settle_timeout: float = 10.0,
        busy_task_prefixes: tuple[str, ...] = BUSY_TASK_PREFIXES,
    ) -> None:
        self.clock = clock or ManualClock()
        self.world = World(self.clock.now, guild_name)
        self._database_url = database_url
        self._corpus = [Path(p) for p in corpus or ()]
        self._extensions = extensions
        self._validate_responses = validate_responses
        self.settle_timeout = settle_timeout
        self.busy_task_prefixes = busy_task_prefixes
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.server: Server | None = None
        self.bot: Any = None
        self._bot_task: asyncio.Task[None] | None = None
        self.contract_skipped: str | None = None
        self.ready_seconds: float | None = None
        self._seeded = False

    @classmethod
    def start(cls, **kwargs: Any) -> Playground:
        """A playground to use as `async with Playground.start(...) as pg:`."""
        return cls(**kwargs)

    async def __aenter__(self) -> Playground:
        await self.open()
        return self

    async def __aexit__(self, exc_type: object, exc: object, tb: object) -> None:
        await self.close(check=exc_type is None)

    # ---- lifecycle ----------------------------------------------------------------------

    @property
    def database_url(self) -> str:
        """The bot's database (a fresh temporary SQLite file unless given)."""
        if self._database_url is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="cliffhanger-play-")
            self._database_url = f"sqlite+aiosqlite:///{self._tmp.name}/play.db"
        return self._database_url

    @property
    def faults(self) -> Faults:
        """Fault injection (`fail`, `rate_limit`, `slow`, `drop_gateway`)."""
        assert self.server is not None, "the playground is not open"
        return self.server.faults

    @property
    def events(self) -> list[Event]:
        """Everything people could see so far, in order."""
        return self.world.events

    @property
    def contract_violations(self) -> list[Violation]:
        """Requests (and responses) that broke Discord's OpenAPI contract."""
        return self.server.violations if self.server else []

    async def open(self) -> None:
        """Load the contract, start the server, seed the corpus and connect the bot."""
        contract, reason = await asyncio.to_thread(Contract.load)
        if reason:
            self.contract_skipped = reason
            warnings.warn(reason, stacklevel=2)
        self.server = Server(self.world, all_routes(), contract=contract,
                             validate_responses=self._validate_responses)
        await self.server.start()
        await self.start_bot()

    async def start_bot(self) -> None:
        """Construct the bot on this playground's database and wait for READY."""
        from bot.client import EXTENSIONS, CliffhangerBot
        from bot.settings import Settings

        assert self.server is not None
        settings = Settings(
            discord_token=TOKEN,
            database_url=self.database_url,
            discord_api_base=self.server.api_base,
            discord_gateway_url=self.server.gateway_url,
        )
        bot = CliffhangerBot(settings, clock=self.clock, extensions=self._extensions or EXTENSIONS)
        bot._connection.guild_ready_timeout = GUILD_READY_TIMEOUT
        self.bot = bot
        if not self._seeded:
            await self._seed(bot)
        started = time.perf_counter()
        self._bot_task = asyncio.create_task(bot.start(TOKEN), name="playground-bot")
        await self._wait_ready()
        self.ready_seconds = time.perf_counter() - started
        await self.settle()

    async def _seed(self, bot: Any) -> None:
        self._seeded = True
        if not self._corpus:
            return
        from bot.corpus.importer import import_paths
        from db import migrate

        await migrate.upgrade(bot.engine)
        await import_paths(bot.sessions, self._corpus)

    async def _wait_ready(self) -> None:
        assert self._bot_task is not None
        ready = asyncio.create_task(self.bot.wait_until_ready(), name="playground-wait-ready")
        done, _ = await asyncio.wait({self._bot_task, ready}, timeout=30,
                                     return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
            if self._bot_task in done:
                self._bot_task.result()
                raise PlaygroundError("the bot stopped before it was ready")
            raise PlaygroundError("the bot did not become ready within 30 s")

    async def stop_bot(self) -> None:
        """Disconnect and close the bot (the server and its state stay)."""
        if self.bot is None:
            return
        await self.settle()
        await self.bot.close()
        if self._bot_task is not None:
            await asyncio.gather(self._bot_task, return_exceptions=True)
        assert self.server is not None
        self.server.gateway.session_id = None
        self.bot = None
        self._bot_task = None

    async def restart_bot(self) -> None:
        """Close the bot and start a new one on the same database and server state."""
        await self.stop_bot()
        await self.start_bot()

    async def close(self, *, check: bool = True) -> None:
        """Stop the bot and server; raise if the bot broke the contract (when `check`)."""
        try:
            await self.stop_bot()
        finally:
            if self.server is not None:
                await self.server.stop()
            if self._tmp is not None:
                self._tmp.cleanup()
        if check:
            self.assert_no_violations()

    def assert_no_violations(self) -> None:
        """Raise ContractViolationError listing every violation so far."""
        if self.contract_violations:
            lines = "\n".join(f"  - {v}" for v in self.contract_violations)
            raise ContractViolationError(f"Discord API contract violations:\n{lines}")

    # ---- settling -----------------------------------------------------------------------

    def busy_reason(self) -> str | None:
        """Why the bot is not idle yet, or None."""
        server = self.server
        if server is None or self.bot is None:
            return None
        if server.in_flight:
            return f"{server.in_flight} HTTP request(s) in flight"
        if server.faults.pending:
            return "a gateway drop is in progress"
        gateway = server.gateway
        if gateway.session_id and gateway.live is None and not self.bot.is_closed():
            return "the gateway is disconnected (waiting for RESUME)"
        ws = self.bot.ws
        seen = (ws.sequence or 0) if ws is not None else 0
        if gateway.session_id and gateway.sequence > seen:
            return f"the bot has read gateway events up to {seen} of {gateway.sequence}"
        tasks = busy_tasks(self.busy_task_prefixes)
        return f"pending tasks: {', '.join(tasks)}" if tasks else None

    async def settle(self) -> None:
        """Wait until the bot is idle (raises SettleTimeout with the reason if it never is)."""
        await wait_until_idle(self.busy_reason, timeout=self.settle_timeout)

    async def _after(self, mark: int) -> list[Event]:
        await self.settle()
        return self.world.events[mark:]

    # ---- actions --------------------------------------------------------------------------

    async def send(self, user: str, channel: str, content: str, *,
                   files: Sequence[Path] = ()) -> list[Event]:
        """A member posts a message; returns the events it led to (the message first)."""
        who, where = self.user(user), self.channel(channel)
        send = Perm.SEND_MESSAGES_IN_THREADS if where.is_thread else Perm.SEND_MESSAGES
        if not self.world.has(who.id, where, Perm.VIEW_CHANNEL | send):
            raise PlaygroundError(f"{who.name} cannot send messages in #{where.name}")
        mark = len(self.events)
        attachments = [self._upload(Path(f)) for f in files]
        ops.post_message(self.world, where, who, {"content": content}, attachments=attachments)
        return await self._after(mark)

    def _upload(self, path: Path) -> Attachment:
        world = self.world
        attachment_id = world.ids.next()
        url = f"{world.base_url}/attachments/{attachment_id}/{path.name}"
        attachment = Attachment(attachment_id, path.name, path.read_bytes(), "application/octet-stream", url)
        world.attachments[attachment_id] = attachment
        return attachment

    async def _interact(self, kind: int, who: User, channel_name: str | None, data: dict[str, Any],
                        message: Message | None = None, *, expect_answer: bool = True,
                        trigger: int | None = None) -> list[Event]:
        where = self.world.channels[message.channel_id] if message else self.channel(channel_name or "general")
        mark = len(self.events)
        interaction, payload = interact.new_interaction(self.world, kind, who, where, data, message)
        interaction.trigger_id = trigger
        self.last_interaction = interaction
        self.world.dispatch("INTERACTION_CREATE", payload)
        events = await self._after(mark)
        if expect_answer and interaction.response_type is None:
            name, thread = self.world.display_channel(where)
            event = Event("ephemeral", name, thread, "Discord", visible_to=[who.name],
                          content="The application did not respond")
            self.world.record(event)
            events.append(event)
        return events

    async def command(self, user: str, channel: str, text: str) -> list[Event]:
        """Run a slash command typed like `/progress set show:Ballard episode:S01E05`."""
        who, where = self.user(user), self.channel(channel)
        data = self._wrap(lambda: interact.command_data(self.world, who, where, text))
        return await self._interact(2, who, channel, data)

    async def autocomplete(self, user: str, channel: str, command: str, option: str,
                           value: str) -> list[dict[str, Any]]:
        """The choices the bot offers while `option` holds `value` (other options in `command`)."""
        who, where = self.user(user), self.channel(channel)
        data = self._wrap(lambda: interact.command_data(self.world, who, where, command, (option, value)))
        await self._interact(4, who, channel, data, expect_answer=False)
        return list(self.last_interaction.choices or [])

    async def click(self, user: str, label: str, *, channel: str | None = None) -> list[Event]:
        """Click the button labelled `label` on the newest message visible to `user` with one."""
        who = self.user(user)
        message, button = self._find_button(who, label, channel)
        data = {"custom_id": button["custom_id"], "component_type": 2}
        return await self._interact(3, who, None, data, message)

    async def select(self, user: str, select: str, values: Sequence[str], *,
                     channel: str | None = None) -> list[Event]:
        """Pick `values` in the select menu with this custom_id or placeholder."""
        who = self.user(user)
        for message in self._newest_visible(who, channel):
            for item in _walk(message.components):
                if item.get("type") in (3, 5, 6, 7, 8) and select in (item.get("custom_id"), item.get("placeholder")):
                    data = {"custom_id": item["custom_id"], "component_type": item["type"], "values": list(values)}
                    return await self._interact(3, who, None, data, message)
        raise PlaygroundError(f"no select menu {select!r} visible to {who.name}")

    async def context_menu(self, user: str, name: str, target: Message | str) -> list[Event]:
        """Use a message (or user) context-menu command on `target`."""
        who = self.user(user)
        if isinstance(target, Message):
            where, aim = self.world.channels[target.channel_id], target
        else:
            where, aim = self.channel("general"), self.user(target)
        data = self._wrap(lambda: interact.context_menu_data(self.world, who, where, name, aim))
        return await self._interact(2, who, where.name if not where.is_thread else where.name, data)

    async def submit_modal(self, user: str, values: dict[str, str], *,
                           title: str | None = None) -> list[Event]:
        """Fill in and submit the newest modal the bot showed to `user`."""
        who = self.user(user)
        opened = [i for i in self.world.interactions.values()
                  if i.user_id == who.id and i.modal is not None and not i.submitted
                  and (title is None or i.modal.get("title") == title)]
        if not opened:
            raise PlaygroundError(f"no open modal for {who.name}")
        source = opened[-1]
        data = self._wrap(lambda: interact.modal_submit_data(source.modal or {}, values))
        source.submitted = True
        message = self.world.messages.get(source.message_id or 0)
        channel = self.world.channels[source.channel_id]
        return await self._interact(5, who, channel.name, data, message, trigger=source.id)

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
    def _wrap(build: Any) -> dict[str, Any]:
        try:
            return build()
        except interact.InteractionError as exc:
            raise PlaygroundError(str(exc)) from None

    def _newest_visible(self, who: User, channel: str | None) -> list[Message]:
        where = self.channel(channel).id if channel else None
        found = [m for m in self.world.messages.values()
                 if self.world.can_see(who.id, m) and (where is None or m.channel_id == where)]
        return sorted(found, key=lambda m: m.id, reverse=True)

    def _find_button(self, who: User, label: str, channel: str | None) -> tuple[Message, dict[str, Any]]:
        for message in self._newest_visible(who, channel):
            for button in message.buttons():
                if button.get("label") == label and not button.get("disabled"):
                    if "custom_id" not in button:
                        raise PlaygroundError(f"[{label}] is a link button; it opens {button.get('url')}")
                    return message, button
        raise PlaygroundError(f"no button [{label}] on any message visible to {who.name}")


def _walk(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in components:
        out.append(item)
        out += _walk(item.get("components") or ([item["component"]] if "component" in item else []))
    return out
