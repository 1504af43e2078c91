"""`casework serve` as a user runs it: a real process on a real port, the public site, the
API and the editor's sign-in over HTTP; with --workers 2, two processes answering."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.serving import free_port, launched
from tests.test_cli import cw, ndjson_file

PASSWORD = "serve test password"


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


def test_serve_answers_the_site_the_api_and_the_editor(team_tracker: Path) -> None:
    with serving(team_tracker) as served:
        base = served.base
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
    with serving(team_tracker, "--workers", "2") as served:
        base = served.base
        with httpx.Client(base_url=base) as client:
            answers = [client.get("/api/incidents", params={"perPage": 2}) for _ in range(20)]
        assert all(a.status_code == 200 and a.json()["total"] == 6 for a in answers)


# --- serving on a network: TLS, a declared proxy, hosts, slow clients (web/server.py) ---------


@dataclass
class Served:
    """A running `casework serve`: its base URL and port, and what it printed (a file)."""

    base: str
    port: int
    log: Path

    def output(self) -> str:
        return self.log.read_text("utf-8", errors="replace")


@contextmanager
def serving(folder: Path, *extra: str, scheme: str = "http") -> Iterator[Served]:
    """`casework serve --port P *extra` until it answers (over `scheme`), stopped after."""
    port = free_port()
    log = folder.parent / f"serve-{port}.log"
    served = Served(f"{scheme}://127.0.0.1:{port}", port, log)
    command = [sys.executable, "-m", "casework", "-t", str(folder), "serve", "--port", str(port)]
    with launched([*command, *extra], served.base, log=log, verify=False):
        yield served


def _sign_in(client: httpx.Client, password: str, address: str) -> httpx.Response:
    """A sign-in as ada through the real form, from `address` as a proxy would report it."""
    page = client.get("/login", headers={"X-Forwarded-For": address})
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token, page.text
    return client.post(
        "/login",
        data={"username": "ada", "password": password, "csrf": token.group(1)},
        headers={"X-Forwarded-For": address, "X-Forwarded-Proto": "https"},
    )


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10"])
def test_serve_refuses_plain_http_on_a_network_address(team_tracker: Path, host: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "casework", "-t", str(team_tracker), "serve", "--host", host,
         "--port", str(free_port())],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "300"},
    )  # fmt: skip
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("error: refusing to serve sign-ins over plain HTTP on " + host)
    for option in ("--ssl-certfile", "--proxy", "--insecure-http"):
        assert option in line


def test_insecure_http_serves_a_network_address_with_a_loud_warning(team_tracker: Path) -> None:
    with serving(team_tracker, "--host", "0.0.0.0", "--insecure-http") as served:
        assert httpx.get(served.base + "/login").status_code == 200
        assert "strict-transport-security" not in httpx.get(served.base + "/login").headers
    warnings = [line for line in served.output().splitlines() if "WARNING" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("WARNING: serving sign-ins over plain HTTP on 0.0.0.0")


def test_behind_a_declared_proxy_its_https_and_client_addresses_are_believed(
    team_tracker: Path,
) -> None:
    with serving(team_tracker, "--proxy", "127.0.0.1") as served:
        over_https = httpx.get(served.base + "/login", headers={"X-Forwarded-Proto": "https"})
        assert over_https.headers["strict-transport-security"] == "max-age=31536000"
        assert "secure" in over_https.headers["set-cookie"].lower()
        plain = httpx.get(served.base + "/login")
        assert "strict-transport-security" not in plain.headers
        assert "secure" not in plain.headers["set-cookie"].lower()
        # The throttle sees each client's own address: five failures from one refuse that
        # one, and the right password from another still signs in.
        with httpx.Client(base_url=served.base) as attacker:
            for _ in range(5):
                assert _sign_in(attacker, "a wrong guess", "203.0.113.9").status_code == 401
            assert _sign_in(attacker, PASSWORD, "203.0.113.9").status_code == 429
        with httpx.Client(base_url=served.base) as ada:
            signed = _sign_in(ada, PASSWORD, "198.51.100.7")
            assert signed.status_code == 303
            assert "secure" in signed.headers["set-cookie"].lower()


@pytest.mark.parametrize("extra", [(), ("--proxy", "10.9.9.9")], ids=["no-proxy", "another"])
def test_forwarded_headers_from_an_undeclared_address_are_not_believed(
    team_tracker: Path, extra: tuple[str, ...]
) -> None:
    with serving(team_tracker, *extra) as served:
        faked = httpx.get(served.base + "/login", headers={"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" not in faked.headers
        assert "secure" not in faked.headers["set-cookie"].lower()
        with httpx.Client(base_url=served.base) as client:
            for i in range(5):  # five "addresses": all of them this one client
                assert _sign_in(client, "a wrong guess", f"203.0.113.{i}").status_code == 401
            assert _sign_in(client, PASSWORD, "198.51.100.7").status_code == 429


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the certificate")
def test_with_its_own_tls_it_sends_hsts_and_secure_cookies(
    team_tracker: Path, tmp_path: Path
) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    tls = ("--host", "0.0.0.0", "--ssl-certfile", str(cert), "--ssl-keyfile", str(key))
    with serving(team_tracker, *tls, scheme="https") as served:
        with httpx.Client(base_url=served.base, verify=False) as client:
            page = client.get("/login")
            assert page.headers["strict-transport-security"] == "max-age=31536000"
            assert "secure" in page.headers["set-cookie"].lower()
    assert "WARNING" not in served.output()


def test_a_hostile_host_is_refused_and_no_redirect_names_a_host(team_tracker: Path) -> None:
    with serving(team_tracker) as served:
        assert httpx.get(served.base + "/", headers={"Host": "evil.example"}).status_code == 400
        assert httpx.get(served.base + "/", headers={"Host": "m.example.org"}).status_code == 200
        moved = httpx.get(served.base + "/api/incidents/")
        assert moved.status_code == 307 and moved.headers["location"] == "/api/incidents"


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.settimeout(60)  # generous: the server's own limits are 10 and 20 s
    return sock


def _until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (a reset counts as a
    close); fails if it has not closed within the socket's 60 s timeout."""
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    finally:
        sock.close()
    return received


def _trickle_until_closed(sock: socket.socket) -> bool:
    """Send a header line a second, as a slowloris client does; True once the server has
    closed the connection (within 60 lines)."""
    sock.settimeout(1)
    for _ in range(60):
        try:
            sock.sendall(b"X-Slow: yes\r\n")
            if sock.recv(1) == b"":
                return True
        except TimeoutError:
            continue
        except OSError:  # reset, broken pipe: closed
            return True
    return False


def test_slow_idle_and_oversized_requests_are_cut_off(team_tracker: Path) -> None:
    """Against the real server: a head sent a line a second, a connection that sends
    nothing, a body that stops halfway — each closed by the server (head 10 s, body idle
    20 s); a 20 KiB head gets 431 at once (the limit is 16 KiB)."""
    with serving(team_tracker) as served:
        host = f"Host: 127.0.0.1:{served.port}\r\n".encode()
        big = _connect(served.port)
        big.sendall(b"GET / HTTP/1.1\r\n" + host + b"X-Big: " + b"a" * (20 << 10) + b"\r\n\r\n")
        assert _until_closed(big).startswith(b"HTTP/1.1 431 ")
        huge = _connect(served.port)  # 1 MiB: refused before it is all read
        try:
            huge.sendall(b"GET / HTTP/1.1\r\n" + host + b"X-Big: " + b"a" * (1 << 20) + b"\r\n")
        except OSError:
            pass  # closed while sending: refused
        answer = _until_closed(huge)
        assert answer == b"" or answer.startswith(b"HTTP/1.1 431 ")

        idle, stalled, slow = (_connect(served.port) for _ in range(3))
        body = b"username=ada&password="
        stalled.sendall(
            b"POST /login HTTP/1.1\r\n" + host + b"Content-Type: application/x-www-form-"
            b"urlencoded\r\nContent-Length: 1000\r\n\r\n" + body
        )
        slow.sendall(b"GET / HTTP/1.1\r\n" + host)
        results: dict[str, object] = {}
        threads = [
            threading.Thread(target=lambda: results.update(idle=_until_closed(idle))),
            threading.Thread(target=lambda: results.update(stalled=_until_closed(stalled))),
            threading.Thread(target=lambda: results.update(slow=_trickle_until_closed(slow))),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert results == {"idle": b"", "stalled": b"", "slow": True}
        # And the server still answers everyone else.
        assert httpx.get(served.base + "/api/stats").status_code == 200


def test_two_workers_apply_the_same_settings(team_tracker: Path) -> None:
    with serving(team_tracker, "--workers", "2", "--proxy", "127.0.0.1") as served:
        assert httpx.get(served.base + "/", headers={"Host": "evil.example"}).status_code == 400
        over_https = httpx.get(served.base + "/login", headers={"X-Forwarded-Proto": "https"})
        assert over_https.headers["strict-transport-security"] == "max-age=31536000"
        big = _connect(served.port)
        big.sendall(
            b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"a" * (20 << 10) + b"\r\n\r\n"
        )
        assert _until_closed(big).startswith(b"HTTP/1.1 431 ")
        idle = _connect(served.port)
        assert _until_closed(idle) == b""


def test_the_demo_serves_this_machine_only(tmp_path: Path) -> None:
    code, _, err = cw(tmp_path, "demo", str(tmp_path / "demo"), "--host", "0.0.0.0")
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "the demo serves this machine only" in err and "casework serve" in err
    assert not (tmp_path / "demo").exists()  # refused before anything was made
