"""Discord's rules for webhooks and uploads that the OpenAPI schema does not encode."""

from __future__ import annotations

from collections.abc import Sequence

from playground.routing import ApiError, LimitExceeded, Upload

MAX_WEBHOOKS_PER_CHANNEL = 15
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # an unboosted server's limit per file
MAX_REQUEST_BYTES = 25 * 1024 * 1024
FORBIDDEN_PARTS = ("clyde", "discord")
FORBIDDEN_NAMES = ("everyone", "here", "system message")


def name_problem(name: str) -> str | None:
    """Why Discord refuses `name` as a webhook's name or username, or None if it accepts it."""
    folded = name.strip().casefold()
    if not 1 <= len(folded) <= 80:
        return "Must be between 1 and 80 in length."
    for part in FORBIDDEN_PARTS:
        if part in folded:
            return f'Username cannot contain "{part}"'
    if folded in FORBIDDEN_NAMES:
        return f'Username cannot be "{folded}"'
    return None


def check_name(field: str, name: str) -> None:
    """Discord's 400 Invalid Form Body for a webhook name it refuses (also a violation).

    Webhook names follow the nickname rules (1-80 characters once trimmed) and may not
    contain "clyde" or "discord" in any case; a bot that sends one has broken the contract.
    """
    problem = name_problem(name)
    if problem is None:
        return
    code = "BASE_TYPE_BAD_LENGTH" if "length" in problem else "USERNAME_INVALID_CONTAINS"
    raise LimitExceeded(
        400,
        50035,
        "Invalid Form Body",
        errors={field: {"_errors": [{"code": code, "message": problem}]}},
    )


def check_webhook_count(existing: int) -> None:
    """Discord's 30007 once a channel holds its 15 webhooks."""
    if existing >= MAX_WEBHOOKS_PER_CHANNEL:
        raise ApiError(
            400, 30007, f"Maximum number of webhooks reached ({MAX_WEBHOOKS_PER_CHANNEL})"
        )


def check_uploads(uploads: Sequence[Upload]) -> None:
    """Discord's 413 (40005) for a file over the upload limit or a request over its cap."""
    too_big = any(len(upload.data) > MAX_UPLOAD_BYTES for upload in uploads)
    if too_big or sum(len(upload.data) for upload in uploads) > MAX_REQUEST_BYTES:
        raise ApiError(413, 40005, "Request entity too large")


def check_forum_target(is_forum: bool, thread_id: str | None) -> None:
    """A webhook of a forum channel must name the post (thread) it writes in."""
    if is_forum and thread_id is None:
        raise ApiError(
            400, 220001, "Webhooks posted to forum channels must have a thread_name or thread_id"
        )
