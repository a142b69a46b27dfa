"""The Dockerfile and compose file agree with the code: commands parse, shards add up."""

from __future__ import annotations

import re

import yaml

from bot.app.cli import build_parser
from bot.app.settings import settings_from_mapping
from tests.conftest import REPO_ROOT


def _compose() -> dict:
    return yaml.safe_load((REPO_ROOT / "compose.yaml").read_text())


def test_every_service_command_is_a_real_cli_command() -> None:
    services = _compose()["services"]
    for service in services.values():
        if "command" in service:
            build_parser().parse_args(service["command"])  # SystemExit on a bad command
    assert services["migrate"]["command"] == ["db", "upgrade"]


def test_shard_services_cover_every_shard_once_after_the_migration() -> None:
    services = _compose()["services"]
    shards = {name: s for name, s in services.items() if name.startswith("shard-")}
    served: list[int] = []
    for service in shards.values():
        environment = {k: str(v) for k, v in service["environment"].items()}
        args = build_parser().parse_args(service["command"])
        chosen = settings_from_mapping(environment | {"SHARD_IDS": args.shards})
        assert chosen.shards.ids is not None and chosen.shards.count is not None
        served.extend(chosen.shards.ids)
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert environment["DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert sorted(served) == list(range(chosen.shards.count))


def test_the_image_copies_every_package_and_runs_the_cli() -> None:
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    copied = set(re.findall(r"^COPY (\w+) ", dockerfile, flags=re.MULTILINE))
    assert {"bot", "cogs", "db", "playground"} <= copied
    assert all((REPO_ROOT / name).is_dir() for name in copied)
    assert 'ENTRYPOINT ["python", "-m", "bot"]' in dockerfile
