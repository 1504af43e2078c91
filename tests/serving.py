"""Real servers for tests that need real sockets (browsers, raw HTTP, `casework serve`): an
ASGI app on uvicorn in a thread, or a server command in a process of its own."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """`app` served on 127.0.0.1 until the block ends; its base URL, ending in a slash."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped before serving"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def launched(
    command: list[str],
    base: str,
    *,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    verify: bool = True,
) -> Iterator[subprocess.Popen[bytes]]:
    """`command` (a server) in a process of its own until `base`/api/stats answers; stopped
    when the block ends. Its output goes to `log` (read back when it dies early)."""
    out = log.open("wb") if log is not None else subprocess.DEVNULL
    try:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_COLOR": "1", "COLUMNS": "300", **(env or {})},
        )
    finally:
        if log is not None:
            out.close()  # type: ignore[union-attr]
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if httpx.get(base + "/api/stats", timeout=2, verify=verify).is_success:
                    break
            except httpx.TransportError:
                pass
            said = log.read_text("utf-8", errors="replace") if log is not None else ""
            assert process.poll() is None, said
            assert time.monotonic() < deadline, f"{command[:4]} did not answer within 60 s"
            time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def eventually(check: Callable[[], bool], what: str, seconds: float) -> None:
    """Wait until `check()` holds, asking every 0.1 s; fail naming `what` after `seconds`
    (what another process must come to show: a change followed, a replica caught up)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.1)
