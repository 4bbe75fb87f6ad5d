"""Settings from the environment or a `.env` file (see `.env.example`)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

DEFAULT_DATABASE_URL = "sqlite:///data/bot.db"
DEFAULT_WEBHOOK_LISTEN = "127.0.0.1:8080"
DEFAULT_WEBAPP_LISTEN = "127.0.0.1:8090"
HOST_PORT = r"(\[[0-9A-Fa-f:]+\]|[A-Za-z0-9.-]+):(\d{1,5})"
# The pip package that provides a database driver module, where the two names differ.
DRIVER_PACKAGES = {"psycopg": "psycopg[binary]", "psycopg2": "psycopg2-binary"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    default_currency: str = "EUR"
    timezone: str = "UTC"
    log_level: str = "INFO"
    assumptions_file: Path | None = None
    charts: bool = True
    chart_workers: int = Field(default=1, ge=1, le=8)
    telegram_webhook_url: str | None = None
    webhook_listen: str = DEFAULT_WEBHOOK_LISTEN
    webhook_secret: SecretStr | None = None
    webapp_url: str | None = None
    webapp_listen: str = DEFAULT_WEBAPP_LISTEN
    webapp_max_age: int = Field(default=3600, ge=60, le=86400)

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not re.fullmatch(
            r"\d{3,20}:[A-Za-z0-9_-]{20,}", value.strip()
        ):
            raise ValueError("must look like 123456789:ABC-your-token-from-BotFather")
        return value.strip()

    @field_validator("telegram_api_base_url", mode="before")
    @classmethod
    def _base_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?", value):
            raise ValueError("must be an http(s) URL such as http://127.0.0.1:8081")
        return value.strip().rstrip("/")

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in re.split(r"[\s,;]+", value.strip()) if p]
            if any(not re.fullmatch(r"[0-9]{1,18}", p) for p in parts):
                raise ValueError("must be Telegram user ids separated by commas, e.g. 123,456")
            return [int(p) for p in parts]
        return value

    @field_validator("default_currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{3}", value.strip()):
            raise ValueError("must be a three-letter ISO currency code such as EUR")
        return value.strip().upper()

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone such as Europe/Paris") from None
        return value.strip()

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in logging.getLevelNamesMapping():
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return level

    @field_validator("assumptions_file", mode="before")
    @classmethod
    def _assumptions_file(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not Path(str(value)).is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @field_validator("database_url", mode="before")
    @classmethod
    def _database_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return DEFAULT_DATABASE_URL
        try:
            url = make_url(str(value))
            url.get_dialect().import_dbapi()
        except NoSuchModuleError:
            raise ValueError(
                "names a database this bot can't use (sqlite:/// or postgresql+psycopg://)"
            ) from None
        except ArgumentError:
            raise ValueError("must be a database URL such as sqlite:///data/bot.db") from None
        except ImportError as exc:
            package = DRIVER_PACKAGES.get(exc.name or "", exc.name)
            raise ValueError(f"needs its driver: pip install '{package}'") from None
        return value

    @field_validator("telegram_webhook_url", mode="before")
    @classmethod
    def _webhook_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        parts = urlsplit(str(value).strip())
        if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
            raise ValueError("must be a public https:// URL such as https://bot.example.org/hook")
        return str(value).strip()

    @field_validator("webhook_listen", mode="before")
    @classmethod
    def _webhook_listen(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return DEFAULT_WEBHOOK_LISTEN
        match = re.fullmatch(HOST_PORT, str(value).strip())
        if match is None or not 0 < int(match.group(2)) < 65536:
            raise ValueError("must be host:port, such as 127.0.0.1:8080 or 0.0.0.0:8080")
        return str(value).strip()

    @field_validator("webapp_url", mode="before")
    @classmethod
    def _webapp_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        parts = urlsplit(str(value).strip())
        if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
            raise ValueError("must be a public https:// URL such as https://bot.example.org/app")
        return str(value).strip().rstrip("/")

    @field_validator("webapp_listen", mode="before")
    @classmethod
    def _webapp_listen(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return DEFAULT_WEBAPP_LISTEN
        match = re.fullmatch(HOST_PORT, str(value).strip())
        if match is None or not 0 < int(match.group(2)) < 65536:
            raise ValueError("must be host:port, such as 127.0.0.1:8090")
        return str(value).strip()

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _webhook_secret(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", value.strip()):
            raise ValueError("must be 16 to 256 characters among A-Z, a-z, 0-9, _ and -")
        return value.strip()

    @model_validator(mode="after")
    def _webhook_needs_a_token(self) -> Settings:
        if self.telegram_webhook_url and self.telegram_bot_token is None:
            raise ValueError("needs TELEGRAM_BOT_TOKEN as well (the sandbox has no webhook)")
        return self

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    @property
    def webhook_path(self) -> str:
        """The path the webhook is served on: that of TELEGRAM_WEBHOOK_URL (`/` if none)."""
        return urlsplit(self.telegram_webhook_url or "").path or "/"

    @property
    def webhook_host_port(self) -> tuple[str, int]:
        return _host_port(self.webhook_listen)

    @property
    def webapp_host_port(self) -> tuple[str, int]:
        return _host_port(self.webapp_listen)

    @property
    def webapp_path(self) -> str:
        """The path the pages are served under: that of WEBAPP_URL (`/app` in
        `https://bot.example.org/app`), `/app` without one (the sandbox)."""
        if self.webapp_url is None:
            return "/app"
        return urlsplit(self.webapp_url).path.rstrip("/")

    @property
    def secret(self) -> str:
        """Telegram's secret-token header for the webhook: WEBHOOK_SECRET, or else one derived
        from the token, so that every instance of one bot has the same without configuring
        it. Never logged."""
        if self.webhook_secret is not None:
            return self.webhook_secret.get_secret_value()
        key = (self.token or "").encode()
        return hmac.new(key, b"influence-advisor-bot webhook", hashlib.sha256).hexdigest()


def _host_port(listen: str) -> tuple[str, int]:
    host, _, port = listen.rpartition(":")
    return host.strip("[]"), int(port)


class SettingsError(SystemExit):
    """Start-up stops with one line naming the setting at fault."""


def load_settings(**overrides: Any) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "TELEGRAM_WEBHOOK_URL"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"Setting {name} is invalid: {message}") from None
