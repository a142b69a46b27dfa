"""The aiohttp server: REST under /api/v10, the gateway at /, uploaded files."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from aiohttp import web

from playground.contract import Contract, Violation, response_of
from playground.faults import Fault, Faults
from playground.gateway import Gateway
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
    """Serves Discord's REST API and gateway for one simulated guild."""

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
        self.routes = routes
        self.contract = contract
        self.validate_responses = validate_responses
        self.gateway = Gateway(world, shard_count=shard_count)
        self.faults = Faults(self.gateway.drop)
        self.rate_limits = RateLimits()
        self.violations: list[Violation] = []
        self.requests: list[tuple[str, str, int]] = []
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
        self.world.base_url = f"http://127.0.0.1:{self.port}"
        self.gateway.url = self.gateway_url

    async def stop(self) -> None:
        """Close the gateway and stop listening."""
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _attachment(self, request: web.Request) -> web.Response:
        attachment = self.world.attachments.get(int(request.match_info["attachment_id"]))
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
        return response

    async def _serve(self, request: web.Request) -> web.Response:
        path = request.path[len(API_PREFIX) :]
        method = request.method
        body, files, raw, content_type = await _read_body(request)
        query = dict(request.query)
        headers = dict(request.headers)
        problem = self._check_request(method, path, query, headers, raw, content_type)
        if problem is not None:
            return problem
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


def _fault_response(fault: Fault, method: str, path: str) -> web.Response:
    if fault.status == 429:
        headers = _ratelimit_headers(
            method, fault.pattern, remaining=0, reset_after=fault.retry_after, scope=fault.scope
        )
        headers.update({"Retry-After": str(max(1, round(fault.retry_after))), "Via": "1.1 google"})
        body = {
            "message": "You are being rate limited.",
            "retry_after": fault.retry_after,
            "global": fault.scope == "global",
            "code": 0,
        }
        return json_response(body, 429, headers)
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
