"""Real `python -m bot` processes for the tests of several instances."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

SETTINGS_PREFIXES = ("TELEGRAM_", "DATABASE_URL", "WEBHOOK_", "ADMIN_IDS", "LOG_LEVEL")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class BotProcess:
    """`python -m bot` in `folder`, with only the given settings; its log goes to a file."""

    def __init__(self, folder: Path, name: str, **settings: str) -> None:
        self.folder = folder
        self.log = folder / f"{name}.log"
        self.environment = {
            k: v for k, v in os.environ.items() if not k.startswith(SETTINGS_PREFIXES)
        }
        self.environment.update(settings)
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                env=self.environment,
                cwd=self.folder,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )

    def output(self) -> str:
        return self.log.read_text("utf-8", errors="replace") if self.log.exists() else ""

    @property
    def exited(self) -> bool:
        return self.process is not None and self.process.returncode is not None

    async def wait(self, timeout: float = 30.0) -> int:
        assert self.process is not None
        return await asyncio.wait_for(self.process.wait(), timeout)

    async def kill(self) -> None:
        """kill -9: no clean stop of any kind."""
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.wait()

    async def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM, then wait for a clean stop."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await self.wait(timeout)
