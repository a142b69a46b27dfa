"""Where the spec is missing the check is skipped with a reason, except under CI=true."""

from __future__ import annotations

from pathlib import Path

import pytest

from playground.contract import Contract, ContractUnavailable, spec_path


def test_missing_spec_is_skipped_with_a_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DISCORD_OPENAPI_SPEC", str(tmp_path / "absent.json"))
    monkeypatch.delenv("CI", raising=False)
    contract, reason = Contract.load()
    assert contract is None
    assert reason is not None and "absent.json" in reason and "skipped" in reason


def test_missing_spec_is_an_error_on_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DISCORD_OPENAPI_SPEC", str(tmp_path / "absent.json"))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(ContractUnavailable, match="CI=true"):
        Contract.load()


def test_default_location_is_the_shared_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_OPENAPI_SPEC", raising=False)
    assert spec_path().parts[-3:] == ("shared", "discord-api-spec", "openapi.json")
