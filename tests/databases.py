"""Test databases on the PostgreSQL server named by TEST_DATABASE_URL: each test's own,
created (from a template when given) and dropped after it."""

from __future__ import annotations

import os
import uuid

from sqlalchemy import create_engine, make_url, text

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip() or None


class PostgresServer:
    """Creates and drops databases named `bot_test_<run>_<n>` on one server."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        if self.url.get_backend_name() != "postgresql":
            raise ValueError(f"TEST_DATABASE_URL must name a PostgreSQL server, not {url!r}")
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.prefix = f"bot_test_{uuid.uuid4().hex[:8]}"
        self.count = 0
        self.made: list[str] = []

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, template: str | None = None) -> str:
        self.count += 1
        name = f"{self.prefix}_{self.count}"
        copy = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}{copy}"))
        self.made.append(name)
        return name

    def drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        if name in self.made:
            self.made.remove(name)

    def drop_all(self) -> None:
        for name in reversed(list(self.made)):
            self.drop(name)
        self.admin.dispose()
