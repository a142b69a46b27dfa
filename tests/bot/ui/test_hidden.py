"""Hidden parts: one header over spoiler-tagged text, split within Discord's limit."""

from __future__ import annotations

from bot.ui.hidden import hidden_parts
from bot.ui.permissions import permission_name, permission_names
from bot.ui.tagging import MESSAGE_LIMIT, spoilers_in


def test_empty_text_posts_the_header_alone() -> None:
    assert hidden_parts("⚠ **Spoiler · Ballard S01E05**", "  ") == [
        "⚠ **Spoiler · Ballard S01E05**"
    ]


def test_long_text_repeats_the_header_unless_told_how_to_continue() -> None:
    """The continuation header is shorter than the first, as the recap's is."""
    text = " ".join(f"Sentence number {n} reveals something." for n in range(200))
    same = hidden_parts("A LONG HEADER LINE", text)
    assert len(same) > 1 and all(part.startswith("A LONG HEADER LINE\n||") for part in same)
    numbered = hidden_parts("A LONG HEADER LINE", text, lambda n, total: f"part {n}/{total}")
    assert numbered[0].startswith("A LONG HEADER LINE\n")
    assert numbered[1].startswith(f"part 2/{len(numbered)}\n")
    assert all(len(part) <= MESSAGE_LIMIT for part in numbered)
    assert " ".join(" ".join(spoilers_in(part)) for part in numbered).count("Sentence") == 200


def test_permission_names_follow_discord_settings() -> None:
    assert permission_name("manage_guild") == "Manage Server"
    assert (
        permission_names(["manage_webhooks", "send_messages"]) == "Manage Webhooks, Send Messages"
    )
