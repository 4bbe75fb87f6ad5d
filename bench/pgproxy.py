"""A loopback TCP proxy in front of a PostgreSQL server, which can cut the database off.

The chaos scenario (bench.chaos) must not stop the machine's PostgreSQL server (other runs use
it at the same time), so the bot instances reach it through this proxy, and "PostgreSQL is
stopped for 5 s" is played here: `cut_off` drops every open connection and, until `restore`,
drops every new one as soon as it is accepted.

The proxy runs its own event loop in a thread, so that a bot in the caller's process, whose
database calls block its own loop, still reaches the database through it.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine
from typing import Any


class PostgresProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.port = 0
        self.down = False
        self.dropped = 0  # connections cut or refused while cut off
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._pipes: set[asyncio.Task[None]] = set()

    def _call(self, coroutine: Coroutine[Any, Any, None]) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(30)

    def start(self) -> int:
        """Listen on a free loopback port (returned)."""
        self._thread.start()
        self._call(self._listen())
        return self.port

    def stop(self) -> None:
        if self._thread.is_alive():
            self._call(self._close())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(30)
        self._loop.close()

    def cut_off(self) -> None:
        """The database is unreachable from now on."""
        self._call(self._set_down(True))

    def restore(self) -> None:
        """Connections go through again."""
        self._call(self._set_down(False))

    async def outage(self, seconds: float) -> None:
        """The database is unreachable for `seconds` (awaited in the caller's loop)."""
        self.cut_off()
        try:
            await asyncio.sleep(seconds)
        finally:
            self.restore()

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        await self._set_down(True)  # every pipe ends with its connection
        if self._pipes:
            await asyncio.wait(set(self._pipes), timeout=5)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    def _down(self) -> bool:
        return self.down

    async def _set_down(self, down: bool) -> None:
        self.down = down
        if down:
            for writer in list(self._writers):
                self.dropped += 1
                writer.transport.abort()
            self._writers.clear()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.down:
            self.dropped += 1
            writer.transport.abort()
            return
        try:
            upstream_reader, upstream = await asyncio.open_connection(
                self.target_host, self.target_port
            )
        except OSError:
            writer.transport.abort()
            return
        if self._down():  # cut off while connecting
            upstream.transport.abort()
            writer.transport.abort()
            return
        self._writers.update((writer, upstream))
        task = asyncio.current_task()
        assert task is not None
        self._pipes.add(task)
        try:
            await asyncio.gather(_pipe(reader, upstream), _pipe(upstream_reader, writer))
        finally:
            self._pipes.discard(task)
            for end in (writer, upstream):
                self._writers.discard(end)
                end.transport.abort()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, OSError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.transport.abort()
