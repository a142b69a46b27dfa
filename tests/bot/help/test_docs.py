"""The /help text: usage lines, sections, finding a command by a typo."""

from __future__ import annotations

import pytest

from bot.errors import NotFoundError
from bot.help.docs import FIELD_LIMIT, CommandDoc, OptionDoc, detail, find, matching, sections

SET = CommandDoc(
    "progress set",
    "Say which episode you have watched up to",
    "Progress",
    (OptionDoc("show", "The show", True), OptionDoc("note", "A note", False)),
)
LIST = CommandDoc("progress list", "Everything you are watching", "Progress")
MARK = CommandDoc("Mark as spoiler", "Report a message", "Message menu", menu=True)
DOCS = [SET, CommandDoc("recap view", "Read a recap", "Recaps"), LIST, MARK]


def test_usage_marks_optional_options_and_menu_entries() -> None:
    assert SET.usage == "/progress set show [note]"
    assert LIST.usage == "/progress list"
    assert MARK.usage == "Apps › Mark as spoiler"


def test_sections_keep_first_appearance_order_and_group_by_feature() -> None:
    assert [name for name, _ in sections(DOCS)] == ["Progress", "Recaps", "Message menu"]
    progress = sections(DOCS)[0][1].splitlines()
    assert progress == [
        "`/progress set show [note]` — Say which episode you have watched up to",
        "`/progress list` — Everything you are watching",
    ]


def test_a_long_section_continues_in_another_field_of_the_same_name() -> None:
    many = [CommandDoc(f"cmd{i}", "x" * 90, "Big") for i in range(30)]
    found = sections(many)
    assert len(found) > 1 and {name for name, _ in found} == {"Big"}
    assert all(len(text) <= FIELD_LIMIT for _, text in found)
    assert sum(len(text.splitlines()) for _, text in found) == 30


def test_detail_lists_each_option() -> None:
    assert detail(SET).splitlines() == [
        "`/progress set show [note]` · Progress",
        "Say which episode you have watched up to",
        "• `show`: The show",
        "• `note` (optional): A note",
    ]
    assert "then Apps" in detail(MARK)


def test_detail_says_why_a_member_cannot_use_a_command() -> None:
    gated = CommandDoc("schedule add", "Plan a watch party", "Schedules", needs="it needs X.")
    assert detail(gated).splitlines()[-1] == "You can't use it here: it needs X."
    assert "can't use" not in detail(SET)


@pytest.mark.parametrize(
    "query", ["progress set", "/progress set", "  PROGRESS   set ", "progres st"]
)
def test_find_tolerates_slashes_case_and_typos(query: str) -> None:
    assert find(DOCS, query) is SET


def test_find_unknown_command_is_a_friendly_error() -> None:
    with pytest.raises(NotFoundError, match="no command called “banana”"):
        find(DOCS, "banana")


def test_autocomplete_prefers_prefixes_then_falls_back_to_close_names() -> None:
    assert matching(DOCS, "prog") == ["progress set", "progress list"]
    assert matching(DOCS, "") == ["progress set", "recap view", "progress list", "Mark as spoiler"]
    assert matching(DOCS, "recpa view") == ["recap view"]
    assert matching(DOCS, "zzzz") == []
