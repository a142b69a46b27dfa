"""Discord's documented limits that the OpenAPI schema does not encode."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
MAX_FIELDS = 25
MAX_ROWS = 5
MAX_ROW_ITEMS = 5
MAX_LABEL = 80
MAX_CUSTOM_ID = 100
MAX_CHOICES = 25
MAX_SELECT_OPTIONS = 25
_EMBED_TEXT = {"title": 256, "description": 4096}
_FIELD_TEXT = {"name": 256, "value": 1024}


@dataclass(frozen=True, slots=True)
class LimitError:
    """One broken limit: where in the body, Discord's error code, and the message."""

    path: tuple[str | int, ...]
    code: str
    message: str


def _too_long(path: tuple[str | int, ...], limit: int) -> LimitError:
    return LimitError(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _too_many(path: tuple[str | int, ...], limit: int) -> LimitError:
    return LimitError(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def embed_text_length(embed: Mapping[str, Any]) -> int:
    """Characters Discord counts toward the 6000 limit for one embed."""
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    for field in embed.get("fields") or []:
        total += len(field.get("name") or "") + len(field.get("value") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    return total


def check_embeds(embeds: Sequence[Mapping[str, Any]]) -> list[LimitError]:
    """Check embed count, per-part lengths, field count and the total across embeds."""
    errors: list[LimitError] = []
    if len(embeds) > MAX_EMBEDS:
        errors.append(_too_many(("embeds",), MAX_EMBEDS))
    for index, embed in enumerate(embeds):
        for key, limit in _EMBED_TEXT.items():
            if len(embed.get(key) or "") > limit:
                errors.append(_too_long(("embeds", index, key), limit))
        fields = embed.get("fields") or []
        if len(fields) > MAX_FIELDS:
            errors.append(_too_many(("embeds", index, "fields"), MAX_FIELDS))
        for number, field in enumerate(fields):
            for key, limit in _FIELD_TEXT.items():
                if len(field.get(key) or "") > limit:
                    errors.append(_too_long(("embeds", index, "fields", number, key), limit))
    if sum(embed_text_length(embed) for embed in embeds) > MAX_EMBED_TOTAL:
        errors.append(
            LimitError(
                ("embeds",), "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"
            )
        )
    return errors


def _check_item(path: tuple[str | int, ...], item: Mapping[str, Any]) -> list[LimitError]:
    errors: list[LimitError] = []
    if len(item.get("label") or "") > MAX_LABEL:
        errors.append(_too_long((*path, "label"), MAX_LABEL))
    if len(item.get("custom_id") or "") > MAX_CUSTOM_ID:
        errors.append(_too_long((*path, "custom_id"), MAX_CUSTOM_ID))
    if len(item.get("options") or []) > MAX_SELECT_OPTIONS:
        errors.append(_too_many((*path, "options"), MAX_SELECT_OPTIONS))
    return errors


def check_components(components: Sequence[Mapping[str, Any]]) -> list[LimitError]:
    """Check action rows: at most 5 rows of 5 items, label and custom_id lengths."""
    errors: list[LimitError] = []
    rows = [c for c in components if c.get("type") == 1]
    if len(rows) > MAX_ROWS:
        errors.append(_too_many(("components",), MAX_ROWS))
    for index, component in enumerate(components):
        path: tuple[str | int, ...] = ("components", index)
        if component.get("type") != 1:
            errors.extend(_check_item(path, component))
            continue
        items = component.get("components") or []
        if len(items) > MAX_ROW_ITEMS:
            errors.append(_too_many((*path, "components"), MAX_ROW_ITEMS))
        for number, item in enumerate(items):
            errors.extend(_check_item((*path, "components", number), item))
    return errors


def check_message(body: Mapping[str, Any]) -> list[LimitError]:
    """All message limits: content, embeds and components."""
    errors: list[LimitError] = []
    if len(body.get("content") or "") > MAX_CONTENT:
        errors.append(_too_long(("content",), MAX_CONTENT))
    errors.extend(check_embeds(body.get("embeds") or []))
    errors.extend(check_components(body.get("components") or []))
    return errors


def check_choices(choices: Sequence[Mapping[str, Any]]) -> list[LimitError]:
    """Autocomplete results: at most 25 choices with 1-100 character names."""
    errors: list[LimitError] = []
    if len(choices) > MAX_CHOICES:
        errors.append(_too_many(("data", "choices"), MAX_CHOICES))
    for index, choice in enumerate(choices):
        if not 1 <= len(str(choice.get("name", ""))) <= 100:
            errors.append(_too_long(("data", "choices", index, "name"), 100))
    return errors


def error_body(errors: Sequence[LimitError]) -> dict[str, Any]:
    """Discord's 400 Invalid Form Body payload for these errors."""
    tree: dict[str, Any] = {}
    for error in errors:
        node = tree
        for key in error.path:
            node = node.setdefault(str(key), {})
        node.setdefault("_errors", []).append({"code": error.code, "message": error.message})
    return {"code": 50035, "message": "Invalid Form Body", "errors": tree}
