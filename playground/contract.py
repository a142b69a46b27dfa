"""Check requests and responses against Discord's official OpenAPI spec (openapi-core)."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = REPO_ROOT.parent / "shared" / "discord-api-spec" / "openapi.json"
SPEC_HOST = "https://discord.com"
SPEC_PREFIX = "/api/v10"


class ContractUnavailable(RuntimeError):
    """The spec is missing where it is required (CI=true)."""


@dataclass(frozen=True, slots=True)
class Violation:
    """A request or response that breaks the contract with Discord."""

    method: str
    path: str
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind} {self.method} {self.path}: {self.detail}"


class _Request:
    """The request shape openapi-core reads."""

    def __init__(
        self,
        method: str,
        path: str,
        query: Any,
        headers: Any,
        body: bytes | None,
        content_type: str,
    ) -> None:
        from openapi_core.datatypes import RequestParameters

        self.method = method.lower()
        self.path = SPEC_PREFIX + path
        self.host_url = SPEC_HOST
        self.body = body
        self.content_type = content_type
        self.parameters = RequestParameters(query=query, header=headers, cookie={})


class _Response:
    """The response shape openapi-core reads."""

    def __init__(self, status: int, body: bytes, content_type: str, headers: Any) -> None:
        self.status_code = status
        self.data = body
        self.content_type = content_type
        self.headers = headers


def _accept_integer_snowflakes(spec: dict[str, Any]) -> None:
    """Discord accepts snowflakes as JSON integers too (discord.py sends some that way)."""
    schemas = spec["components"]["schemas"]
    original = schemas["SnowflakeType"]
    schemas["SnowflakeType"] = {"anyOf": [original, {"type": "integer", "minimum": 0}]}


def spec_path() -> Path:
    """Where the spec is read from: $DISCORD_OPENAPI_SPEC or ../shared/discord-api-spec."""
    return Path(os.environ.get("DISCORD_OPENAPI_SPEC") or DEFAULT_SPEC)


class Contract:
    """A loaded spec; one per process (loading takes about a second)."""

    _shared: Contract | None = None
    _lock = threading.Lock()

    def __init__(self, path: Path) -> None:
        from openapi_core import Config, OpenAPI

        self.path = path
        data = json.loads(path.read_text(encoding="utf-8"))
        _accept_integer_snowflakes(data)
        self.openapi = OpenAPI.from_dict(data, config=Config(spec_validator_cls=None))
        self._cache: dict[tuple[Any, ...], str | None] = {}

    @classmethod
    def load(cls) -> tuple[Contract | None, str | None]:
        """The shared contract, or (None, reason) when the spec file is absent."""
        path = spec_path()
        if not path.is_file():
            reason = f"Discord OpenAPI spec not found at {path}: contract checks skipped"
            if os.environ.get("CI", "").lower() == "true":
                raise ContractUnavailable(reason.replace("skipped", "required when CI=true"))
            return None, reason
        with cls._lock:
            if cls._shared is None or cls._shared.path != path:
                cls._shared = cls(path)
            return cls._shared, None

    def check_request(
        self,
        method: str,
        path: str,
        query: Any,
        headers: Any,
        body: bytes | None,
        content_type: str,
    ) -> str | None:
        """None if the request matches the spec, else why not (results cached by content)."""
        key = ("request", method, path, tuple(sorted(query.items())), body, content_type)
        if key in self._cache:
            return self._cache[key]
        try:
            self.openapi.validate_request(
                _Request(method, path, query, headers, body, content_type)
            )
        except Exception as exc:
            return self._remember(key, _describe(exc))
        return self._remember(key, None)

    def _remember(self, key: tuple[Any, ...], result: str | None) -> str | None:
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[key] = result
        return result

    def check_response(
        self,
        method: str,
        path: str,
        query: Any,
        headers: Any,
        body: bytes | None,
        content_type: str,
        response: _Response,
    ) -> str | None:
        """None if the response matches the spec's schema for this route, else why not."""
        key = (
            "response",
            method,
            path,
            tuple(sorted(query.items())),
            body,
            content_type,
            response.status_code,
            response.data,
            response.content_type,
        )
        if key in self._cache:
            return self._cache[key]
        request = _Request(method, path, query, headers, body, content_type)
        try:
            self.openapi.validate_response(request, response)
        except Exception as exc:
            return self._remember(key, _describe(exc))
        return self._remember(key, None)


def response_of(status: int, body: bytes, content_type: str, headers: Any) -> _Response:
    """Wrap a response for `Contract.check_response`."""
    return _Response(status, body, content_type, headers)


def _describe(exc: BaseException) -> str:
    """A short reason: the schema errors' paths and messages, else the exception text."""
    details: list[str] = []
    seen: BaseException | None = exc
    while seen is not None:
        for error in getattr(seen, "schema_errors", None) or ():
            details.extend(_leaf_errors(error))
        seen = seen.__cause__ or seen.__context__
    head = type(exc).__name__
    if not details:
        return f"{head}: {str(exc)[:300]}"
    return f"{head}: " + "; ".join(dict.fromkeys(details))


def _leaf_errors(error: Any) -> list[str]:
    """The most specific messages inside a jsonschema error (descending into anyOf/oneOf)."""
    if error.context:
        branches: dict[Any, list[Any]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        best = min(branches.values(), key=_branch_score)
        return [item for sub in best for item in _leaf_errors(sub)][:6]
    path = "/".join(str(p) for p in error.absolute_path) or "(body)"
    return [f"{path}: {error.message[:200]}"]


def _branch_score(errors: list[Any]) -> tuple[int, int]:
    """Prefer the union branch whose discriminator (`type`) matched, then the fewest errors."""
    mismatched = any(
        e.validator in ("enum", "const") and list(e.absolute_path)[-1:] == ["type"] for e in errors
    )
    return int(mismatched), len(errors)
