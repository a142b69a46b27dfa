"""Discord's documented limits."""

from __future__ import annotations

from playground.limits import check_choices, check_message, embed_text_length, error_body


def _button(label: str = "ok", custom_id: str = "x") -> dict:
    return {"type": 2, "style": 1, "label": label, "custom_id": custom_id}


def test_a_valid_message_passes() -> None:
    body = {
        "content": "x" * 2000,
        "embeds": [{"title": "t", "fields": [{"name": "n", "value": "v"}] * 25}],
        "components": [{"type": 1, "components": [_button()] * 5}] * 5,
    }
    assert check_message(body) == []


def test_content_and_embed_limits() -> None:
    paths = [e.path for e in check_message({"content": "x" * 2001, "embeds": [{}] * 11})]
    assert ("content",) in paths and ("embeds",) in paths
    fields = [{"name": "n", "value": "v"}] * 26
    assert [e.path for e in check_message({"embeds": [{"fields": fields}]})] == [
        ("embeds", 0, "fields")
    ]


def test_embed_total_is_counted_across_embeds() -> None:
    embeds = [{"description": "x" * 3001}, {"description": "y" * 3000}]
    assert embed_text_length(embeds[0]) == 3001
    [error] = check_message({"embeds": embeds})
    assert error.code == "MAX_EMBED_SIZE_EXCEEDED"


def test_component_limits() -> None:
    rows = [{"type": 1, "components": [_button()] * 6}] * 6
    paths = {e.path for e in check_message({"components": rows})}
    assert ("components",) in paths and ("components", 0, "components") in paths
    row = [{"type": 1, "components": [_button("l" * 81, "c" * 101)]}]
    paths = {e.path for e in check_message({"components": row})}
    assert paths == {
        ("components", 0, "components", 0, "label"),
        ("components", 0, "components", 0, "custom_id"),
    }


def test_choices_limit_and_error_shape() -> None:
    errors = check_choices([{"name": "a", "value": "a"}] * 26)
    assert errors
    body = error_body(errors)
    assert body["code"] == 50035 and body["message"] == "Invalid Form Body"
    assert body["errors"]["data"]["choices"]["_errors"][0]["code"] == "BASE_TYPE_MAX_LENGTH"
