"""How `casework serve` may listen (web/server.py): plain HTTP on loopback only, unless it has
TLS, a declared reverse proxy, or --insecure-http (then a warning); the settings given to
uvicorn, the same for one worker and several. The servers themselves: tests/test_cli_serve.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from casework.web.server import Listening, ServeRefused, check, is_loopback, uvicorn_options


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_addresses_serve_plain_http(host: str) -> None:
    assert is_loopback(host)
    assert check(Listening(host)).warning() is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "monitor.example.org"])
def test_a_network_address_without_tls_or_a_proxy_is_refused(host: str) -> None:
    assert not is_loopback(host)
    with pytest.raises(ServeRefused) as refused:
        check(Listening(host))
    message = str(refused.value)
    assert "\n" not in message and host in message
    for option in ("--ssl-certfile", "--proxy", "--insecure-http"):
        assert option in message


def test_tls_a_proxy_or_insecure_http_lets_a_network_address_serve(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("certificate"), key.write_text("key")
    assert check(Listening("0.0.0.0", certfile=cert, keyfile=key)).warning() is None
    assert check(Listening("0.0.0.0", proxies=("10.0.0.2",))).warning() is None
    warned = check(Listening("0.0.0.0", 8080, insecure_http=True)).warning()
    assert warned is not None and warned.startswith("WARNING: serving sign-ins over plain HTTP")
    assert "0.0.0.0:8080" in warned and "\n" not in warned


@pytest.mark.parametrize(
    ("listening", "words"),
    [
        (Listening(certfile=Path("cert.pem")), "--ssl-certfile and --ssl-keyfile go together"),
        (Listening(proxies=("nginx",)), "--proxy 'nginx'"),
        (Listening(proxies=("*",)), "--proxy '*'"),
    ],
)
def test_bad_tls_or_proxy_options_are_one_line(listening: Listening, words: str) -> None:
    with pytest.raises(ServeRefused, match=words):
        check(listening)


def test_missing_certificate_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(ServeRefused, match="no such file"):
        check(Listening(certfile=tmp_path / "c.pem", keyfile=tmp_path / "k.pem"))


def test_proxy_headers_are_believed_from_the_declared_proxy_only() -> None:
    plain = uvicorn_options(Listening())
    assert plain["proxy_headers"] is False  # uvicorn's default would believe 127.0.0.1
    proxied = uvicorn_options(Listening(proxies=("127.0.0.1", "10.0.0.0/8")))
    assert proxied["proxy_headers"] is True
    assert proxied["forwarded_allow_ips"] == "127.0.0.1,10.0.0.0/8"
    for options in (plain, proxied):
        assert options["http"] == "casework.web.protocol:GuardedHttpTools"
        assert options["timeout_keep_alive"] > 0 and options["limit_concurrency"] > 0
