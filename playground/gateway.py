"""The gateway websocket: HELLO, IDENTIFY/READY, RESUME with replay, heartbeats."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import Any

from aiohttp import WSMsgType, web

from playground.payloads import guild_payload
from playground.world import MESSAGE_CONTENT_INTENT, PRIVILEGED_INTENTS, World

log = logging.getLogger(__name__)

HELLO, HEARTBEAT, IDENTIFY, RESUME, REQUEST_MEMBERS = 10, 1, 2, 6, 8
HEARTBEAT_ACK, INVALID_SESSION, DISPATCH = 11, 9, 0
TOKEN = "playground-token"
INVALID_SHARD, SHARDING_REQUIRED = 4010, 4011


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard that receives a guild's events: Discord's `(guild_id >> 22) % shard_count`."""
    return (guild_id >> 22) % shard_count


class _Connection:
    """One websocket and the ordered queue of frames waiting to go out on it."""

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.outbox: asyncio.Queue[str | None] = asyncio.Queue()

    async def pump(self) -> None:
        """Send queued frames in order until told to stop."""
        while (frame := await self.outbox.get()) is not None:
            if self.ws.closed:
                return
            await self.ws.send_str(frame)


class Gateway:
    """Speaks Discord's gateway protocol to one bot session, buffering events for resume."""

    def __init__(self, world: World, token: str = TOKEN, shard_count: int = 1) -> None:
        self.world = world
        self.token = token
        self.shard_count = shard_count
        self.idle_shards: dict[int, tuple[str, _Connection]] = {}
        self.owner: int | None = None
        self.url = "ws://127.0.0.1/"
        self.session_id: str | None = None
        self.sequence = 0
        self.buffer: list[tuple[int, str]] = []
        self.live: _Connection | None = None
        self.sessions = 0
        self.resumes = 0
        self.intents = 0
        self.disallowed = 0  # IDENTIFYs refused with 4014 (privileged intents not enabled)
        self.connected = asyncio.Event()
        self.identified_at: float | None = None
        self.worlds: list[World] = []  # guilds after the first (Server.add_guild)
        self.idle_sequence: dict[int, int] = {}
        world.sink = self.dispatch

    @property
    def delivered(self) -> int:
        """The highest sequence number handed to a live connection or replayed."""
        return self.sequence

    def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Number and buffer an event; send it now if the bot is connected."""
        if self.session_id is None:
            return
        self.sequence += 1
        frame = json.dumps({"op": DISPATCH, "t": event, "s": self.sequence, "d": data})
        self.buffer.append((self.sequence, frame))
        if self.live is not None:
            self.live.outbox.put_nowait(frame)

    def add_world(self, world: World) -> None:
        """Another guild: its events go to the shard that owns it (a GUILD_CREATE if live)."""
        self.worlds.append(world)
        world.sink = lambda event, data: self._dispatch_guild(world, event, data)
        world.dispatch("GUILD_CREATE", guild_payload(world))

    def _guilds_on(self, shard_id: int) -> list[World]:
        return [w for w in self.worlds if shard_of(w.guild_id, self.shard_count) == shard_id]

    def _dispatch_guild(self, world: World, event: str, data: dict[str, Any]) -> None:
        shard_id = shard_of(world.guild_id, self.shard_count)
        if shard_id == self.guild_shard:
            self.dispatch(event, data)
        elif shard_id in self.idle_shards:
            self._send_idle(shard_id, event, data)

    def _send_idle(self, shard_id: int, event: str, data: dict[str, Any]) -> None:
        """An event on a shard that does not own the first guild (not kept for resume)."""
        sequence = self.idle_sequence[shard_id] = self.idle_sequence.get(shard_id, 0) + 1
        frame = {"op": DISPATCH, "t": event, "s": sequence, "d": data}
        self.idle_shards[shard_id][1].outbox.put_nowait(json.dumps(frame))

    async def drop(self) -> None:
        """Close the live connection abnormally so the bot must RESUME."""
        conn, self.live = self.live, None
        self.connected.clear()
        if conn is not None:
            conn.outbox.put_nowait(None)
            await conn.ws.close(code=4000, message=b"playground: dropped")

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """Serve one websocket connection from the bot."""
        ws = web.WebSocketResponse(autoping=True, compress=False, max_msg_size=0)
        await ws.prepare(request)
        conn = _Connection(ws)
        pump = asyncio.create_task(conn.pump(), name="playground-gateway-pump")
        await ws.send_str(json.dumps({"op": HELLO, "d": {"heartbeat_interval": 41250}}))
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self._receive(conn, json.loads(msg.data))
        finally:
            if self.live is conn:
                self.live = None
                self.connected.clear()
            conn.outbox.put_nowait(None)
            with contextlib.suppress(asyncio.CancelledError):
                await pump
        return ws

    async def _receive(self, conn: _Connection, msg: dict[str, Any]) -> None:
        op, data = msg.get("op"), msg.get("d")
        if op == HEARTBEAT:
            await conn.ws.send_str(json.dumps({"op": HEARTBEAT_ACK}))
        elif op == IDENTIFY:
            await self._identify(conn, data or {})
        elif op == RESUME:
            await self._resume(conn, data or {})
        elif op == REQUEST_MEMBERS:
            self._members_chunk(conn, data or {})

    @property
    def guild_shard(self) -> int:
        """The shard that owns the playground's guild."""
        if self.owner is not None:
            return self.owner
        return shard_of(self.world.guild_id, self.shard_count)

    def move_guild(self, shard_id: int) -> None:
        """Hand the guild to another connected shard, as Discord does when it rebalances."""
        session_id, conn = self.idle_shards.pop(shard_id)
        if self.live is not None and self.session_id is not None:
            gone = {"id": str(self.world.guild_id), "unavailable": True}
            frame = {"op": DISPATCH, "t": "GUILD_DELETE", "s": None, "d": gone}
            self.live.outbox.put_nowait(json.dumps(frame))
            self.idle_shards[self.guild_shard] = (self.session_id, self.live)
        self.owner, self.live, self.session_id = shard_id, conn, session_id
        self.buffer.clear()
        self.dispatch("GUILD_CREATE", guild_payload(self.world))

    async def _identify(self, conn: _Connection, data: dict[str, Any]) -> None:
        if data.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        requested = int(data.get("intents") or 0)
        if requested & PRIVILEGED_INTENTS & ~self.world.portal_intents:
            self.disallowed += 1
            await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        shard_id, count = data.get("shard") or [0, 1]
        if count != self.shard_count or not 0 <= shard_id < count:
            code = SHARDING_REQUIRED if count < self.shard_count else INVALID_SHARD
            await conn.ws.close(code=code, message=b"Invalid shard.")
            return
        if shard_id != self.guild_shard:
            await self._identify_idle(conn, shard_id)
            return
        self.sessions += 1
        self.identified_at = time.perf_counter()
        self.session_id = f"playground-session-{self.sessions}"
        self.sequence = 0
        self.buffer.clear()
        self.intents = requested
        self.world.bot_reads_content = bool(self.intents & MESSAGE_CONTENT_INTENT)
        self.live = conn
        self.dispatch("READY", self._ready_payload())
        for world in (self.world, *self._guilds_on(self.guild_shard)):
            self.dispatch("GUILD_CREATE", guild_payload(world))
        self.connected.set()

    def _ready_payload(self) -> dict[str, Any]:
        world = self.world
        return {
            "v": 10,
            "user": world.bot_user.payload(),
            "guilds": [guild_payload(w) for w in (world, *self._guilds_on(self.guild_shard))],
            "session_id": self.session_id,
            "resume_gateway_url": self.url,
            "shard": [self.guild_shard, self.shard_count],
            "application": {"id": str(world.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "user_settings": {},
            "session_type": "normal",
            "auth_session_id_hash": "playground",
        }

    async def _identify_idle(self, conn: _Connection, shard_id: int) -> None:
        """A shard that does not own the first guild: READY with the added guilds it owns."""
        session_id = f"playground-shard-{shard_id}-{self.sessions}"
        self.idle_shards[shard_id] = (session_id, conn)
        self.idle_sequence[shard_id] = 0
        guilds = self._guilds_on(shard_id)
        ready = self._ready_payload() | {"session_id": session_id}
        ready |= {
            "guilds": [guild_payload(w) for w in guilds],
            "shard": [shard_id, self.shard_count],
        }
        self._send_idle(shard_id, "READY", ready)
        for world in guilds:
            self._send_idle(shard_id, "GUILD_CREATE", guild_payload(world))

    async def _resume(self, conn: _Connection, data: dict[str, Any]) -> None:
        idle = [s for s, (sid, _c) in self.idle_shards.items() if sid == data.get("session_id")]
        if idle and data.get("token") == self.token:
            self.idle_shards[idle[0]] = (str(data.get("session_id")), conn)
            resumed = {"op": DISPATCH, "t": "RESUMED", "s": None, "d": {}}
            conn.outbox.put_nowait(json.dumps(resumed))
            return
        if data.get("session_id") != self.session_id or data.get("token") != self.token:
            await conn.ws.send_str(json.dumps({"op": INVALID_SESSION, "d": False}))
            return
        seq = int(data.get("seq") or 0)
        self.resumes += 1
        for number, frame in self.buffer:
            if number > seq:
                conn.outbox.put_nowait(frame)
        conn.outbox.put_nowait(json.dumps({"op": DISPATCH, "t": "RESUMED", "s": None, "d": {}}))
        self.live = conn
        self.connected.set()

    def _members_chunk(self, conn: _Connection, data: dict[str, Any]) -> None:
        wanted = str(data.get("guild_id"))
        world = next((w for w in self.worlds if str(w.guild_id) == wanted), self.world)
        members = [m.payload() for m in world.members.values()]
        chunk = {
            "guild_id": str(world.guild_id),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "nonce": data.get("nonce"),
        }
        frame = {"op": DISPATCH, "t": "GUILD_MEMBERS_CHUNK", "s": None, "d": chunk}
        conn.outbox.put_nowait(json.dumps(frame))

    async def close(self) -> None:
        """Close the live connection normally (the playground is shutting down)."""
        conn, self.live = self.live, None
        if conn is not None:
            conn.outbox.put_nowait(None)
            await conn.ws.close(code=1000)
