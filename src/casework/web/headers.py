"""Middleware that amends response headers as they are sent, the shape security.py's headers
and hosts.py's local redirects share."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ResponseHeaders:
    """Pure ASGI middleware (no response buffering) that amends every HTTP response's headers
    as they are sent: a subclass says how (`amend`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def amend(self, headers: MutableHeaders, scope: Scope) -> None:
        raise NotImplementedError

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_amended(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.amend(MutableHeaders(scope=message), scope)
            await send(message)

        await self.app(scope, receive, send_amended)
