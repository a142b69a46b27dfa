"""The aiohttp server: REST under /api/v10, the gateway at /, uploaded files."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from typing import Any

from aiohttp import web

from playground.contract import Contract, Violation, response_of
from playground.faults import Fault, Faults
from playground.gateway import Gateway
from playground.global_limit import GlobalLimit, InvalidRequestLog, caller_key, counts_globally
from playground.ratelimits import RateLimits, bucket_id
from playground.routing import ApiError, Ctx, LimitExceeded, Reply, Routes, Upload
from playground.world import World

log = logging.getLogger(__name__)
API_PREFIX = "/api/v10"
_NO_AUTH_PREFIXES = ("/interactions/", "/webhooks/")


def json_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """A JSON response with Content-Type exactly `application/json` (no charset)."""
    response = web.Response(text=json.dumps(body), status=status, headers=headers)
    response.content_type = "application/json"
    response.charset = None
    return response


def _ratelimit_headers(
    method: str,
    template: str,
    *,
    remaining: int = 49,
    reset_after: float = 1.0,
    scope: str | None = None,
) -> dict[str, str]:
    bucket = bucket_id(method, template)
    headers = {
        "X-RateLimit-Limit": "50",
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": bucket,
    }
    if scope:
        headers["X-RateLimit-Scope"] = scope
    return headers


def _needs_bot_auth(path: str) -> bool:
    if path.startswith("/interactions/"):
        return False
    if path.startswith("/webhooks/"):
        return len(path.split("/")) <= 3  # /webhooks/{id} alone needs the bot token
    return True


class Server:
    """Serves Discord's REST API and gateway for the simulated guild (or several: add_guild)."""

    def __init__(
        self,
        world: World,
        routes: Routes,
        *,
        contract: Contract | None,
        validate_responses: bool = True,
        shard_count: int = 1,
    ) -> None:
        self.world = world
        self.worlds = [world]  # the first guild, then any added with add_guild
        self.routes = routes
        self.contract = contract
        self.validate_responses = validate_responses
        self.gateway = Gateway(world, shard_count=shard_count)
        self.faults = Faults(self.gateway.drop)
        self.rate_limits = RateLimits()
        self.violations: list[Violation] = []
        self.requests: list[tuple[str, str, int]] = []
        self.global_limit = GlobalLimit()
        self.invalid_requests = InvalidRequestLog()
        self.in_flight = 0
        self.port = 0
        self._runner: web.AppRunner | None = None
        self.interaction_hooks: list[Any] = []

    @property
    def api_base(self) -> str:
        """What DISCORD_API_BASE should be."""
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """What DISCORD_GATEWAY_URL should be."""
        return f"ws://127.0.0.1:{self.port}/"

    async def start(self, port: int = 0) -> None:
        """Listen on 127.0.0.1 (`port=0`: any free port)."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/", self.gateway.handle)
        app.router.add_get("/attachments/{attachment_id}/{filename}", self._attachment)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        for world in self.worlds:
            world.base_url = f"http://127.0.0.1:{self.port}"
        self.gateway.url = self.gateway_url

    async def stop(self) -> None:
        """Close the gateway and stop listening."""
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def add_guild(self, name: str, shard_id: int | None = None) -> World:
        """Another guild the bot is in, on shard `shard_id` (default: wherever its id falls);
        it shares the first guild's clock, snowflakes and bot user. Add it before the bot
        connects, or it arrives as a GUILD_CREATE (a join)."""
        first = self.world
        count = self.gateway.shard_count
        guild_id = None if shard_id is None else first.ids.next_on_shard(shard_id, count)
        world = World(first.now, name, ids=first.ids, guild_id=guild_id, bot_user=first.bot_user)
        world.base_url = first.base_url
        self.worlds.append(world)
        self.gateway.add_world(world)
        return world

    def world_for(self, params: dict[str, str]) -> World:
        """The guild a request's path names (by guild, channel, webhook or interaction id);
        the first guild when it names none of the others."""
        return next((w for w in self.worlds[1:] if _names(w, params)), self.world)

    async def _attachment(self, request: web.Request) -> web.Response:
        wanted = int(request.match_info["attachment_id"])
        found = (w.attachments.get(wanted) for w in self.worlds)
        attachment = next((a for a in found if a is not None), None)
        if attachment is None:
            raise web.HTTPNotFound()
        return web.Response(body=attachment.data, content_type=attachment.content_type)

    async def _rest(self, request: web.Request) -> web.Response:
        self.in_flight += 1
        try:
            response = await self._serve(request)
        except Exception as exc:  # a playground bug: fail fast and loudly, never retried
            log.exception("playground error on %s %s", request.method, request.path)
            self._violate(
                request.method, request.path, "playground", f"{type(exc).__name__}: {exc}"
            )
            response = json_response({"code": 0, "message": f"playground error: {exc}"}, 400)
        finally:
            self.in_flight -= 1
        self.requests.append((request.method, request.path, response.status))
        scope = response.headers.get("X-RateLimit-Scope")
        self.invalid_requests.record(_caller(request), response.status, scope)
        return response

    def rate_limited(self) -> int:
        """How many 429 responses the server has sent so far."""
        return sum(1 for _method, _path, status in self.requests if status == 429)

    async def _serve(self, request: web.Request) -> web.Response:
        path = request.path[len(API_PREFIX) :]
        method = request.method
        body, files, raw, content_type = await _read_body(request)
        query = dict(request.query)
        headers = dict(request.headers)
        problem = self._check_request(method, path, query, headers, raw, content_type)
        if problem is not None:
            return problem
        if counts_globally(path):
            wait = self.global_limit.admit(_caller(request))
            if wait is not None:
                return rate_limited_response(method, path, wait, "global")
        faulted = await self._apply_faults(method, path)
        if faulted is not None:
            return faulted
        matched = self.routes.match(method, path)
        if matched is None:
            return json_response({"code": 0, "message": "405: Method Not Allowed"}, 405)
        route, params = matched
        bucket = self.rate_limits.take(method, route.template, params)
        if bucket.limited:
            return json_response(bucket.body(), 429, bucket.headers)
        ctx = Ctx(self, method, path, params, query, headers, body, files)
        try:
            reply = await route.handler(ctx)
            response = self._reply(reply, bucket.headers)
        except ApiError as error:
            if isinstance(error, LimitExceeded):
                self._violate(method, path, "limit", error.describe())
            response = json_response(error.body, error.status, bucket.headers)
        self._check_response(method, path, query, headers, raw, content_type, response)
        return response

    def _check_request(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        raw: bytes | None,
        content_type: str,
    ) -> web.Response | None:
        if _needs_bot_auth(path) and not headers.get("Authorization", "").startswith("Bot "):
            self._violate(method, path, "request", "missing `Authorization: Bot …` header")
            return json_response({"code": 0, "message": "401: Unauthorized"}, 401)
        if self.contract is None:
            if not self.routes.allows(path):
                return json_response({"code": 0, "message": "404: Not Found"}, 404)
            return None
        problem = self.contract.check_request(method, path, query, headers, raw, content_type)
        if problem is None:
            return None
        self._violate(method, path, "request", problem)
        status = (
            404 if "PathNotFound" in problem else 405 if "OperationNotFound" in problem else 400
        )
        return json_response({"code": 50035, "message": f"Contract violation: {problem}"}, status)

    def _check_response(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        raw: bytes | None,
        content_type: str,
        response: web.Response,
    ) -> None:
        if self.contract is None or not self.validate_responses:
            return
        body = response.body if isinstance(response.body, bytes) else b""
        wrapped = response_of(response.status, body, response.content_type or "", response.headers)
        problem = self.contract.check_response(
            method, path, query, headers, raw, content_type, wrapped
        )
        if problem is not None:
            self._violate(method, path, "response", problem)

    def _violate(self, method: str, path: str, kind: str, detail: str) -> None:
        violation = Violation(method, path, kind, detail)
        log.error("contract violation: %s", violation)
        self.violations.append(violation)

    async def _apply_faults(self, method: str, path: str) -> web.Response | None:
        for fault in self.faults.take(method, path):
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.status is not None:
                return _fault_response(fault, method, path)
        return None

    def _reply(self, reply: Reply, headers: dict[str, str]) -> web.Response:
        if reply.body is None:
            return web.Response(status=204, headers=headers)
        return json_response(reply.body, reply.status, headers)


def _names(world: World, params: dict[str, str]) -> bool:
    """Whether the first id a path names (guild, channel, webhook, interaction) is this guild's."""
    for key, known in (
        ("guild_id", (world.guild_id,)),
        ("channel_id", world.channels),
        ("webhook_id", world.webhooks),
        ("interaction_id", world.interactions),
    ):
        value = params.get(key, "")
        if value.isdigit():
            return int(value) in known
    return False


def _caller(request: web.Request) -> str:
    return caller_key(request.headers.get("Authorization"), request.remote)


def rate_limited_response(
    method: str, template: str, retry_after: float, scope: str | None
) -> web.Response:
    """Discord's 429: headers and body, `global` set when the global limit was hit."""
    headers = _ratelimit_headers(
        method, template, remaining=0, reset_after=retry_after, scope=scope
    )
    headers.update({"Retry-After": str(max(1, math.ceil(retry_after))), "Via": "1.1 google"})
    if scope == "global":
        headers["X-RateLimit-Global"] = "true"
    body = {
        "message": "You are being rate limited.",
        "retry_after": round(retry_after, 3),
        "global": scope == "global",
        "code": 0,
    }
    return json_response(body, 429, headers)


def _fault_response(fault: Fault, method: str, path: str) -> web.Response:
    if fault.status == 429:
        return rate_limited_response(method, fault.pattern, fault.retry_after, fault.scope)
    status = fault.status or 500
    return json_response({"code": 0, "message": f"{status}: playground fault"}, status)


async def _read_body(request: web.Request) -> tuple[Any, list[Upload], bytes | None, str]:
    """Parse JSON or multipart; return (body, files, JSON bytes for the contract, type)."""
    if not request.can_read_body:
        return None, [], None, request.content_type
    if request.content_type.startswith("multipart/"):
        return await _read_multipart(request)
    raw = await request.read()
    try:
        return json.loads(raw) if raw else None, [], raw, request.content_type
    except ValueError:
        return None, [], raw, request.content_type


async def _read_multipart(request: web.Request) -> tuple[Any, list[Upload], bytes | None, str]:
    body: Any = {}
    files: list[Upload] = []
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        name = getattr(part, "name", None) or ""
        data = await part.read()  # type: ignore[union-attr]
        if name == "payload_json":
            body = json.loads(data)
        elif name.startswith("files["):
            index = int(name[6:-1])
            ctype = part.headers.get("Content-Type", "application/octet-stream")
            files.append(Upload(index, getattr(part, "filename", None) or name, bytes(data), ctype))
    return body, files, json.dumps(body).encode(), "application/json"
