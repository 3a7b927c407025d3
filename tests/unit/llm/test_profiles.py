from __future__ import annotations

import pytest

from seamline.connectors.base import ConnectorCall
from seamline.connectors.llm_profiles import from_environment, parse_profiles, select
from seamline.errors import FatalError


def test_profiles_fill_defaults_per_provider() -> None:
    profiles, default = parse_profiles(
        {"llm": {"default_profile": "a", "profiles": {"a": {"provider": "Anthropic"}}}}
    )
    assert default == "a"
    profile = profiles["a"]
    assert profile.provider == "anthropic" and profile.base_url == "https://api.anthropic.com"
    assert profile.key_source() == "nowhere (no key configured)"
    assert parse_profiles(None) == ({}, None)


def test_environment_profile() -> None:
    assert from_environment({"PATH": "/bin"}) is None
    profile = from_environment({"SEAMLINE_LLM_MODEL": "m", "SEAMLINE_LLM_API_KEY": "sk-zz-unique"})
    assert profile is not None
    assert (profile.provider, profile.base_url) == ("openai", "https://api.openai.com/v1")
    assert profile.api_key_env == "SEAMLINE_LLM_API_KEY"
    assert "sk-zz-unique" not in repr(profile)


def test_a_diagram_cannot_choose_the_base_url() -> None:
    profiles, _ = parse_profiles({"llm": {"profiles": {"p": {"provider": "openai", "model": "m"}}}})
    call = ConnectorCall("llm", {"profile": "p", "base_url": "https://evil.example"})
    assert select(call, profiles, None, {}).base_url == "https://api.openai.com/v1"
    with pytest.raises(FatalError, match="no LLM endpoint"):
        select(ConnectorCall("llm", {}), profiles, None, {})
