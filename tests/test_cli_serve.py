"""`casework serve` as a user runs it: a real process on a real port, the public site, the
API and the editor's sign-in over HTTP; with --workers 2, two processes answering."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.test_cli import cw, ndjson_file

PASSWORD = "serve test password"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def team_tracker(tmp_path: Path) -> Path:
    folder = tmp_path / "t"
    assert cw(tmp_path, "init", str(folder), "--url", "https://m.example.org")[0] == 0
    records = ndjson_file(tmp_path / "r.ndjson", 6)
    assert cw(folder, "import", "--status", "published", str(records))[0] == 0
    added = subprocess.run(
        [
            sys.executable,
            "-m",
            "casework",
            "-t",
            str(folder),
            "user",
            "add",
            "ada",
            "--role",
            "admin",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    return folder


def _serve(folder: Path, *extra: str) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "casework", "-t", str(folder), "serve", "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_COLOR": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/api/stats", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        assert time.monotonic() < deadline, "casework serve did not answer within 60 s"
        time.sleep(0.2)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_serve_answers_the_site_the_api_and_the_editor(team_tracker: Path) -> None:
    for base in _serve(team_tracker):
        assert httpx.get(base + "/").status_code == 200
        assert httpx.get(base + "/api/stats").json()["total"] == 6
        with httpx.Client(base_url=base) as client:
            assert client.get("/edit/").status_code == 303
            login = client.get("/login")
            token = re.search(r'name="csrf" value="([^"]+)"', login.text)
            assert token
            signed = client.post(
                "/login", data={"username": "ada", "password": PASSWORD, "csrf": token.group(1)}
            )
            assert signed.status_code == 303
            page = client.get("/edit/")
            assert (
                page.status_code == 200 and "Demo" not in page.text and "ada" in page.text.lower()
            )


def test_serve_with_two_workers(team_tracker: Path) -> None:
    for base in _serve(team_tracker, "--workers", "2"):
        with httpx.Client(base_url=base) as client:
            answers = [client.get("/api/incidents", params={"perPage": 2}) for _ in range(20)]
        assert all(a.status_code == 200 and a.json()["total"] == 6 for a in answers)
