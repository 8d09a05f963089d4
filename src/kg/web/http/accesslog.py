"""Structured access log: one JSON object per request on the ``kg.access`` logger.

Each record holds the time the request arrived (UTC, ISO 8601), the client address, method, path, query
string (cut at :data:`MAX_QUERY_CHARS`), status, response body bytes, and the time taken to answer in
milliseconds (``duration_ms``). A request whose handler failed is logged with status 500; one whose client
left while its query ran, with 499. ``kg serve`` writes these lines to standard error
(:func:`kg.web.server.log_config`); the uvicorn access log is turned off.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The logger the records go to.
ACCESS_LOGGER = "kg.access"
#: Longest query string logged (the rest is cut, marked with "...").
MAX_QUERY_CHARS = 500


class AccessLog:
    """ASGI middleware that logs every HTTP request as one JSON line (see the module documentation)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.log = logging.getLogger(ACCESS_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, counting what is sent, and log it when answered."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        arrived, started = datetime.now(UTC), time.perf_counter()
        response: dict[str, int] = {"status": 500, "bytes": 0}

        async def counting(message: Message) -> None:
            if message["type"] == "http.response.start":
                response["status"] = message["status"]
            elif message["type"] == "http.response.body":
                response["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counting)
        finally:
            record = access_record(scope, arrived, response, (time.perf_counter() - started) * 1000)
            self.log.info(json.dumps(record, ensure_ascii=False), extra={"access": record})


def access_record(scope: Scope, arrived: datetime, response: dict[str, int], duration_ms: float) -> dict[str, Any]:
    """The log record of one request (see the module documentation)."""
    query = scope.get("query_string", b"").decode("latin-1")
    client = scope.get("client")
    return {
        "time": arrived.isoformat(timespec="milliseconds"),
        "client": client[0] if client else None,
        "method": scope["method"],
        "path": scope["path"],
        "query": query if len(query) <= MAX_QUERY_CHARS else query[:MAX_QUERY_CHARS] + "...",
        "status": response["status"],
        "bytes": response["bytes"],
        "duration_ms": round(duration_ms, 3),
    }
