"""The dependency direction (docs/ARCHITECTURE.md), checked by reading every module's imports.

Discord stays at the edge, the database stays under the services, and each feature's cog leans on
`bot/` rather than on another feature's cog:

- `db/` (not its migrations) imports nothing from `bot`, `cogs` or `discord`;
- nothing in `bot/` imports `cogs`;
- in `bot/`, only `bot/app/` and `bot/ui/` import `discord`;
- in `bot/`, only `bot/app/` and the services (each `service.py` and `store.py`, plus
  `SERVICE_MODULES`) import `db` or `sqlalchemy`; the rest is pure, tested without a database;
- a cog imports no `db` and no other feature's cog (modules of one package under `cogs/` may
  import each other);
- `bot/app/` is the composition root: nothing else in `bot/` imports it, and a cog imports
  `bot.app.client` only for typing (the client loads the cogs, so a run-time import closes a cycle).

Imports under `if TYPE_CHECKING:` count like any other: they still say who depends on whom. The
one exception is `bot.app.client` (for the `CliffhangerBot` type) in `cogs/` and `bot/ui/`.
Imports inside functions count too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "cogs", "db")

# The modules under bot/<feature>/ that may talk to the database: every `service.py` and
# `store.py`, plus these.
SERVICE_FILENAMES = frozenset({"service.py", "store.py"})
SERVICE_MODULES = frozenset(
    {
        "bot.guard.lines",
        "bot.guard.settings",
        "bot.guard.hidden_posts",
        "bot.guard.taught",
        "bot.guard.reports",
        "bot.guard.undo",
        "bot.guard.index_store",
        "bot.guard.journal",
        "bot.watchparty.firing",
        "bot.watchparty.discussion",
    }
)


@dataclass(frozen=True)
class Import:
    """One imported module, as its absolute dotted name."""

    module: str
    typing_only: bool  # under `if TYPE_CHECKING:`


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, typing_only: bool = False) -> Iterator[tuple[ast.AST, bool]]:
    """Every node below `node`, with whether it sits under `if TYPE_CHECKING:`."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            yield child, typing_only
            for statement in child.body:
                yield statement, True
                yield from _walk(statement, True)
            for statement in child.orelse:
                yield statement, typing_only
                yield from _walk(statement, typing_only)
        else:
            yield child, typing_only
            yield from _walk(child, typing_only)


def imports_of(
    module: str, source: str, *, is_package: bool = False, known: frozenset[str] = frozenset()
) -> list[Import]:
    """The modules `source` (the text of `module`) imports.

    `from a import b` names `a.b` when that is a module in `known`, else `a`; relative imports are
    made absolute.
    """
    package = module if is_package else module.rpartition(".")[0]
    found: list[Import] = []
    for node, typing_only in _walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [Import(alias.name, typing_only) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                origin = f"{base}.{node.module}" if node.module else base
            else:
                origin = node.module or ""
            for alias in node.names:
                submodule = f"{origin}.{alias.name}"
                found.append(Import(submodule if submodule in known else origin, typing_only))
    return found


def _top(name: str) -> str:
    return name.partition(".")[0]


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def is_service(module: str, filename: str) -> bool:
    return filename in SERVICE_FILENAMES or module in SERVICE_MODULES


def _cog_feature(module: str) -> str:
    """`cogs.progress` -> `progress`; `cogs.watchparty.schedules` -> `watchparty`."""
    return module.split(".")[1] if module.count(".") >= 1 else ""


RULES = {
    "db-leaf": "db/ imports nothing from bot, cogs or discord",
    "bot-not-cogs": "bot/ imports no cogs",
    "discord-at-edge": "in bot/, only bot/app and bot/ui import discord",
    "pure-domain": "in bot/, only bot/app and the services import db or sqlalchemy",
    "app-is-root": "bot/app is the composition root: nothing else in bot/ imports it",
    "cog-not-db": "cogs import no db",
    "cog-not-cog": "a cog imports no other feature's cog",
    "cog-client-typing": "cogs import bot.app.client only under TYPE_CHECKING",
}


def broken_rules(importer: str, imported: Import, *, service: bool = False) -> list[str]:
    """The rules (keys of `RULES`) `importer` breaks by importing `imported`."""
    target = imported.module
    top = _top(target)
    in_db = _under(importer, "db") and not _under(importer, "db.migrations")
    in_bot = _under(importer, "bot")
    in_app = _under(importer, "bot.app")
    in_ui = _under(importer, "bot.ui")
    in_cogs = _under(importer, "cogs")
    typed_client = imported.typing_only and target == "bot.app.client"
    checks = {
        "db-leaf": in_db and top in ("bot", "cogs", "discord"),
        "bot-not-cogs": in_bot and top == "cogs",
        "discord-at-edge": in_bot and top == "discord" and not (in_app or in_ui),
        "pure-domain": in_bot and top in ("db", "sqlalchemy") and not (in_app or service),
        "app-is-root": in_bot
        and _under(target, "bot.app")
        and not (in_app or importer == "bot.__main__" or (in_ui and typed_client)),
        "cog-not-db": in_cogs and top == "db",
        "cog-not-cog": in_cogs and top == "cogs" and _cog_feature(target) != _cog_feature(importer),
        "cog-client-typing": in_cogs and _under(target, "bot.app.client") and not typed_client,
    }
    return [rule for rule, broken in checks.items() if broken]


def _modules() -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            parts = path.relative_to(REPO_ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def tree_violations() -> dict[str, set[str]]:
    """Every "importer -> imported" in the tree that breaks a rule, with the rules it breaks."""
    modules = _modules()
    known = frozenset(modules)
    found: dict[str, set[str]] = {}
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        service = is_service(module, path.name)
        for imported in imports_of(module, path.read_text(), is_package=is_package, known=known):
            for rule in broken_rules(module, imported, service=service):
                found.setdefault(f"{module} -> {imported.module}", set()).add(rule)
    return found


def test_imports_follow_the_dependency_direction() -> None:
    report = [
        f"against the dependency direction: {edge}  ({'; '.join(RULES[r] for r in sorted(rules))})"
        for edge, rules in sorted(tree_violations().items())
    ]
    assert not report, "\n".join(report)


def test_the_scan_sees_the_tree() -> None:
    modules = _modules()
    assert {
        "bot.app.client",
        "bot.guard.engine.index",
        "cogs.watchparty",
        "db.models",
    } <= modules.keys()
    assert modules.keys() >= SERVICE_MODULES, sorted(SERVICE_MODULES - modules.keys())


def _check(importer: str, source: str, *, filename: str = "x.py") -> list[str]:
    known = frozenset({"cogs.recaps", "cogs.watchparty.schedules", "db.channels", "bot.app.client"})
    service = is_service(importer, filename)
    return [
        rule
        for imported in imports_of(importer, source, known=known)
        for rule in broken_rules(importer, imported, service=service)
    ]


# One forbidden import per rule at least: the checker reports it, so the test above can fail.
BITES = [
    ("db.shows", "from bot.catalog.shows import ShowInfo", "db-leaf"),
    ("db.models", "import discord", "db-leaf"),
    ("db.models", "from cogs import recaps", "db-leaf"),
    ("bot.progress.service", "from cogs.recaps import post_recap", "bot-not-cogs"),
    ("bot.catalog.episodes", "import discord.utils", "discord-at-edge"),
    ("bot.guard.engine.index", "from sqlalchemy import select", "pure-domain"),
    ("bot.recommend.ranking", "from db import channels", "pure-domain"),
    ("bot.errors", "import db.engine", "pure-domain"),
    (
        "bot.watchparty.plan",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from db.models import Show",
        "pure-domain",
    ),
    ("bot.ui.replies", "from bot.app.tree import report_error", "app-is-root"),
    ("bot.catalog.store", "from bot.app.settings import Settings", "app-is-root"),
    ("cogs.recommend", "from db.channels import open_threads", "cog-not-db"),
    ("cogs.progress", "from cogs.watchparty.schedules import x", "cog-not-cog"),
    ("cogs.watchparty.schedules", "from cogs import recaps", "cog-not-cog"),
    ("cogs.watchparty.schedules", "from .. import recaps", "cog-not-cog"),
    ("cogs.help", "from bot.app.client import CliffhangerBot", "cog-client-typing"),
    ("cogs.help", "def f():\n    from db import channels", "cog-not-db"),
]


@pytest.mark.parametrize(("importer", "source", "rule"), BITES)
def test_each_rule_bites(importer: str, source: str, rule: str) -> None:
    assert rule in _check(importer, source)


def test_every_rule_has_a_bite() -> None:
    assert {rule for _, _, rule in BITES} == RULES.keys()


@pytest.mark.parametrize(
    ("importer", "source", "filename"),
    [
        ("db.migrations.env", "from bot.app.settings import load_settings", "env.py"),
        ("bot.app.client", "import discord\nfrom db import channels", "client.py"),
        ("bot.ui.tagging", "from discord.utils import escape_markdown", "tagging.py"),
        ("bot.progress.service", "from db import progress\nimport sqlalchemy", "service.py"),
        ("bot.catalog.store", "from db.shows import load_catalog", "store.py"),
        ("bot.guard.taught", "from db.engine import transaction", "taught.py"),
        ("bot.__main__", "from bot.app.cli import main", "__main__.py"),
        (
            "bot.ui.reveal",
            "if TYPE_CHECKING:\n    from bot.app.client import CliffhangerBot",
            "reveal.py",
        ),
        (
            "cogs.recaps",
            "import typing\nif typing.TYPE_CHECKING:\n    from bot.app.client import Bot",
            "recaps.py",
        ),
        ("cogs.guard.admin", "from bot.app.tree import report_error", "admin.py"),
        ("cogs.watchparty.discussion", "from cogs.watchparty.schedules import x", "discussion.py"),
        ("cogs.watchparty.discussion", "from .schedules import watchparty", "discussion.py"),
    ],
)
def test_allowed_imports_pass(importer: str, source: str, filename: str) -> None:
    assert _check(importer, source, filename=filename) == []
