"""HEAD on every GET route: the request is answered as the GET would be, every header the
same (Content-Length, ETag, Content-Encoding, Vary), and the body dropped on the way out.

One middleware rather than HEAD named on each route: FastAPI's routes take only the methods
they name, and a HEAD answered by its own code could drift from its GET. A HEAD goes through
everything a GET goes through (the editor's sign-in gate first, then the lookup), so its
status and headers say no more than the GET's would.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Pure ASGI middleware: HEAD runs the GET and sends its start with no body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        # A copy: the server keeps its own scope, which still says HEAD (uvicorn writes no
        # body for it either).
        await self.app({**scope, "method": "GET"}, receive, without_body)
