"""The `/help` text, built from what the command tree holds (no hand-kept list to go stale)."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.errors import NotFoundError

INTRO = (
    "Talk about shows without spoiling them. Record where you are with `/progress set`; in a "
    "channel tied to a show, messages that reveal more than its line are reposted under "
    "spoiler tags, and *Reveal* checks your own progress first."
)
FOOTER = "`/help command:…` explains one command and its options."
FIELD_LIMIT = 1024
_MATCH = 75.0


@dataclass(frozen=True, slots=True)
class OptionDoc:
    """One option of a slash command."""

    name: str
    description: str
    required: bool


@dataclass(frozen=True, slots=True)
class CommandDoc:
    """One command as a member can use it: `/progress set`, or a message's Apps menu entry."""

    path: str
    description: str
    section: str
    options: tuple[OptionDoc, ...] = ()
    menu: bool = False  # a message context-menu command, not a slash command
    needs: str = ""  # why this member cannot use it here ('' when they can)

    @property
    def usage(self) -> str:
        """`/progress set show episode [note]`, or `Apps › Mark as spoiler` for a menu entry."""
        if self.menu:
            return f"Apps › {self.path}"
        names = [o.name if o.required else f"[{o.name}]" for o in self.options]
        return " ".join([f"/{self.path}", *names])


def sections(docs: list[CommandDoc]) -> list[tuple[str, str]]:
    """Every command, one line each, grouped by feature in the order given.

    Each section's text fits an embed field (1,024 characters); a longer one continues in a
    second section of the same name.
    """
    grouped: dict[str, list[str]] = {}
    for doc in docs:
        grouped.setdefault(doc.section, []).append(f"`{doc.usage}` — {doc.description}")
    found: list[tuple[str, str]] = []
    for section, lines in grouped.items():
        chunk: list[str] = []
        for line in lines:
            if chunk and len("\n".join([*chunk, line])) > FIELD_LIMIT:
                found.append((section, "\n".join(chunk)))
                chunk = []
            chunk.append(line[:FIELD_LIMIT])
        found.append((section, "\n".join(chunk)))
    return found


def detail(doc: CommandDoc) -> str:
    """One command: what it does and each option."""
    lines = [f"`{doc.usage}` · {doc.section}", doc.description]
    for option in doc.options:
        need = "" if option.required else " (optional)"
        lines.append(f"• `{option.name}`{need}: {option.description}")
    if doc.menu:
        lines.append("Right-click (or long-press) a message, then Apps.")
    if doc.needs:
        lines.append(f"You can't use it here: {doc.needs}")
    return "\n".join(lines)


def find(docs: list[CommandDoc], query: str) -> CommandDoc:
    """The command the member meant (`progress set`, `/progres set`); NotFoundError if none."""
    wanted = " ".join(query.strip().lstrip("/").lower().split())
    for doc in docs:
        if doc.path.lower() == wanted:
            return doc
    paths = [doc.path.lower() for doc in docs]
    best = process.extractOne(wanted, paths, scorer=fuzz.WRatio, score_cutoff=_MATCH)
    if best is None:
        raise NotFoundError(f"I have no command called “{query.strip()[:50]}”. Try `/help`.")
    return docs[best[2]]


def matching(docs: list[CommandDoc], typed: str, limit: int = 25) -> list[str]:
    """Command paths for autocomplete: those starting with what was typed, else close ones."""
    wanted = typed.strip().lstrip("/").lower()
    paths = [doc.path for doc in docs]
    starts = [path for path in paths if path.lower().startswith(wanted)]
    if starts or not wanted:
        return starts[:limit]
    close = process.extract(wanted, paths, scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
    return [path for path, _, _ in close]
