"""Where the ``llm`` connector sends its requests: named profiles from config, or the environment.

A profile in ``seamline.toml``::

    [llm]
    default_profile = "local"          # optional; without it, the SEAMLINE_LLM_* environment
    prompt_dir = "prompts"             # optional; base_dir for prompt_file / system_file

    [llm.profiles.local]
    provider = "openai"                # openai (any Chat Completions server) | anthropic
    base_url = "http://127.0.0.1:11434/v1"
    model = "llama3.1"
    api_key_env = "OLLAMA_API_KEY"     # or api_key_secret = "NAME" (seamline secrets), or neither
    timeout = 60                       # seconds per model call
    max_tokens = 1024
    temperature = 0.2
    response_format = "json_schema"    # json_schema | json_object | none (OpenAI only)

Without a profile the environment names the endpoint: ``SEAMLINE_LLM_PROVIDER`` (default
openai), ``SEAMLINE_LLM_BASE_URL``, ``SEAMLINE_LLM_API_KEY`` and ``SEAMLINE_LLM_MODEL``.

A diagram may pick a profile and a model, never a base URL or a key: a diagram that could choose
the base URL could send the key anywhere.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from seamline.connectors.base import ConnectorCall
from seamline.connectors.secrets import Secrets
from seamline.errors import ConfigError

PROVIDERS = ("openai", "anthropic")
DEFAULT_BASE_URLS = {
    "openai": "https://api.openai.com/v1",
    "anthropic": "https://api.anthropic.com",
}
RESPONSE_FORMATS = ("json_schema", "json_object", "none")
DEFAULT_TIMEOUT = 60.0
ENV_PREFIX = "SEAMLINE_LLM_"

_PROFILE_KEYS = {
    "provider",
    "base_url",
    "model",
    "api_key_env",
    "api_key_secret",
    "timeout",
    "max_tokens",
    "temperature",
    "response_format",
    "anthropic_version",
}


@dataclass(frozen=True)
class Profile:
    """One model endpoint: provider, base URL, model, where its key comes from, and defaults."""

    name: str
    provider: str
    base_url: str
    model: str | None = None
    #: Name of the environment variable holding the key (never the key itself).
    api_key_env: str | None = None
    #: Name of a seamline secret holding the key.
    api_key_secret: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    max_tokens: int | None = None
    temperature: float | None = None
    response_format: str = "json_schema"
    anthropic_version: str = "2023-06-01"

    def key_source(self) -> str:
        """Where the key is read from, for error messages (never the value)."""
        if self.api_key_secret:
            return f"secret '{self.api_key_secret}'"
        if self.api_key_env:
            return f"environment variable {self.api_key_env}"
        return "nowhere (no key configured)"


def parse_profiles(config: Mapping[str, Any] | None) -> tuple[dict[str, Profile], str | None]:
    """The ``[llm.profiles.*]`` tables and ``[llm] default_profile``; ConfigError when malformed."""
    section = (config or {}).get("llm", {})
    if not isinstance(section, Mapping):
        raise ConfigError("[llm] must be a table", hint="see [llm.profiles.NAME] in the docs")
    tables = section.get("profiles", {})
    if not isinstance(tables, Mapping):
        raise ConfigError("[llm.profiles] must be a table of profiles")
    profiles = {str(name): _profile(str(name), table) for name, table in tables.items()}
    default = section.get("default_profile")
    if default is not None and str(default) not in profiles:
        raise ConfigError(
            f"[llm] default_profile '{default}' is not a profile",
            hint=f"known: {', '.join(sorted(profiles)) or 'none'}",
        )
    return profiles, None if default is None else str(default)


def _profile(name: str, table: Any) -> Profile:
    where = f"[llm.profiles.{name}]"
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where} must be a table")
    if "api_key" in table:
        raise ConfigError(f"{where} must not hold the key itself", hint="use api_key_env")
    unknown = sorted(set(table) - _PROFILE_KEYS)
    if unknown:
        raise ConfigError(
            f"{where} has unknown keys {', '.join(unknown)}",
            hint=f"known: {', '.join(sorted(_PROFILE_KEYS))}",
        )
    provider = _provider(table.get("provider"), where)
    fields: dict[str, Any] = {
        "name": name,
        "provider": provider,
        "base_url": str(table.get("base_url") or DEFAULT_BASE_URLS[provider]),
    }
    for key in ("model", "api_key_env", "api_key_secret", "anthropic_version"):
        if table.get(key) is not None:
            fields[key] = str(table[key])
    if table.get("timeout") is not None:
        fields["timeout"] = positive_number(table["timeout"], f"{where} timeout", ConfigError)
    if table.get("max_tokens") is not None:
        fields["max_tokens"] = int(positive_number(table["max_tokens"], f"{where} max_tokens"))
    if table.get("temperature") is not None:
        fields["temperature"] = number(table["temperature"], f"{where} temperature")
    if table.get("response_format") is not None:
        fields["response_format"] = response_format(table["response_format"], where)
    return Profile(**fields)


def _provider(value: Any, where: str) -> str:
    text = str(value or "").strip().lower()
    if text not in PROVIDERS:
        raise ConfigError(
            f"{where} provider must be one of {', '.join(PROVIDERS)}, got {value!r}",
            hint='provider = "openai" also covers Ollama, vLLM, llama.cpp and LiteLLM servers',
        )
    return text


def response_format(value: Any, where: str) -> str:
    """A checked ``response_format`` setting."""
    text = str(value).strip().lower()
    if text not in RESPONSE_FORMATS:
        raise ConfigError(
            f"{where} response_format must be one of {', '.join(RESPONSE_FORMATS)}, got {value!r}"
        )
    return text


def number(value: Any, what: str, error: Callable[[str], Exception] = ConfigError) -> float:
    """``value`` as a float; ``error`` naming ``what`` otherwise."""
    if isinstance(value, bool):
        raise error(f"{what} must be a number, got {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise error(f"{what} must be a number, got {value!r}") from None


def positive_number(
    value: Any, what: str, error: Callable[[str], Exception] = ConfigError
) -> float:
    """``value`` as a positive float; ``error`` naming ``what`` otherwise."""
    result = number(value, what, error)
    if result <= 0:
        raise error(f"{what} must be positive, got {value!r}")
    return result


def from_environment(environ: Mapping[str, str]) -> Profile | None:
    """The endpoint the ``SEAMLINE_LLM_*`` variables describe, or None when none is set."""
    if not any(key.startswith(ENV_PREFIX) for key in environ):
        return None
    provider = _provider(environ.get(ENV_PREFIX + "PROVIDER") or "openai", ENV_PREFIX + "PROVIDER")
    return Profile(
        name="environment",
        provider=provider,
        base_url=environ.get(ENV_PREFIX + "BASE_URL") or DEFAULT_BASE_URLS[provider],
        model=environ.get(ENV_PREFIX + "MODEL") or None,
        api_key_env=ENV_PREFIX + "API_KEY" if environ.get(ENV_PREFIX + "API_KEY") else None,
    )


#: What to set when no endpoint is configured: exactly what :func:`select` reads.
_ENDPOINT_SETTINGS = (
    f"set {ENV_PREFIX}BASE_URL and {ENV_PREFIX}MODEL (and {ENV_PREFIX}API_KEY if the server"
    f" needs a key; {ENV_PREFIX}PROVIDER=anthropic for Anthropic's API), or add an"
    " [llm.profiles.NAME] table to seamline.toml and name it in [llm] default_profile or in the"
    " task's profile parameter"
)


def select(
    call: ConnectorCall,
    profiles: Mapping[str, Profile],
    default: str | None,
    environ: Mapping[str, str],
) -> Profile:
    """The profile for ``call``: its ``profile`` param, the default profile, or the environment.

    The ``model`` param overrides the profile's model. FatalError naming the element when no
    endpoint or no model can be found.
    """
    wanted = call.params.get("profile")
    if wanted:
        if str(wanted) not in profiles:
            raise call.fatal(
                f"no LLM profile named '{wanted}'",
                hint=f"known: {', '.join(sorted(profiles)) or 'none'}",
            )
        profile = profiles[str(wanted)]
    elif default is not None:
        profile = profiles[default]
    else:
        found = from_environment(environ)
        if found is None:
            # Incident lists show the message only: it must say what to set.
            raise call.fatal(f"no LLM endpoint is configured: {_ENDPOINT_SETTINGS}")
        profile = found
    model = call.params.get("model") or profile.model
    if not model:
        where = (
            f"{ENV_PREFIX}MODEL in the environment"
            if profile.name == "environment"
            else f"model in [llm.profiles.{profile.name}] of seamline.toml"
        )
        raise call.fatal(
            f"LLM profile '{profile.name}' names no model: set {where},"
            " or the task's model parameter"
        )
    return dataclasses.replace(profile, model=str(model))


def api_key(
    profile: Profile, call: ConnectorCall, environ: Mapping[str, str], secrets: Secrets
) -> str | None:
    """The profile's API key, or None when it needs none; FatalError when a named key is unset."""
    if profile.api_key_secret:
        if profile.api_key_secret not in secrets:
            raise call.fatal(
                f"LLM profile '{profile.name}': secret '{profile.api_key_secret}' is not set",
                hint=f"set SEAMLINE_SECRET_{profile.api_key_secret} or add it to the secrets file",
            )
        return secrets.get(profile.api_key_secret)
    if profile.api_key_env:
        value = environ.get(profile.api_key_env)
        if not value:
            raise call.fatal(
                f"LLM profile '{profile.name}': environment variable {profile.api_key_env} "
                "is not set",
                hint="export the API key in that variable",
            )
        return value
    return None
