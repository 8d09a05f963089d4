"""Request input limits and hygiene: URL length, strict UTF-8 in query strings and forms, body size.

Starlette decodes a query string or form with ``errors="replace"``, so a percent-encoded byte sequence that
is not UTF-8 (``%FF``) silently becomes U+FFFD and a different query runs. Here such input is refused with
``400`` instead: :class:`RequestGuard` checks every request's query string before any route sees it, and
:func:`parse_urlencoded` parses forms the same strict way. :func:`read_body` reads a body through a size
limit (``413``), refusing at once when ``Content-Length`` already says it is too large.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from kg.web.http.errors import BadRequest, PayloadTooLarge, URITooLong, WebError


def parse_urlencoded(raw: bytes, what: str = "the query string") -> list[tuple[str, str]]:
    """Parse ``application/x-www-form-urlencoded`` bytes (a query string or a form body).

    Args:
        raw: the bytes as sent.
        what: names the input in the error message.

    Returns:
        The (name, value) pairs in order, ``+`` read as a space and percent-escapes decoded as UTF-8.

    Raises:
        BadRequest: when a name or value is not UTF-8 once percent-decoded (no replacement characters).

    Standard: WHATWG URL Standard, section 5.1 (``application/x-www-form-urlencoded`` parsing), with
    invalid UTF-8 refused rather than replaced (RFC 3986, section 2.5; SPARQL 1.1 Protocol, 2.1.2).
    """
    pairs: list[tuple[str, str]] = []
    for part in raw.split(b"&"):
        if not part:
            continue
        name, _, value = part.partition(b"=")
        try:
            pairs.append((_decode(name), _decode(value)))
        except UnicodeDecodeError as error:
            reason = f"{error.reason} at byte {error.start}"
            raise BadRequest(f"{what} is not UTF-8 once percent-decoded ({reason})") from None
    return pairs


def _decode(raw: bytes) -> str:
    """One form-encoded name or value as text."""
    return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")


async def read_body(request: Request, limit: int) -> bytes:
    """Read the request body, at most ``limit`` bytes.

    Raises:
        PayloadTooLarge: when ``Content-Length`` or the bytes received exceed ``limit``.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"request body of {declared} bytes; this endpoint reads at most {limit} (max_body_bytes)")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"request body over {limit} bytes, the most this endpoint reads (max_body_bytes)")
        chunks.append(chunk)
    return b"".join(chunks)


class RequestGuard:
    """ASGI middleware that refuses, before routing, a request target longer than ``max_target_bytes``
    (``414``) and a query string that is not UTF-8 once percent-decoded (``400``).

    Args:
        app: the application to guard.
        max_target_bytes: the longest path plus query string accepted.
        respond: turns the refusal into a response (the application's error table decides the status).
    """

    def __init__(self, app: ASGIApp, max_target_bytes: int, respond: Callable[[WebError], Response]) -> None:
        self.app = app
        self.max_target_bytes = max_target_bytes
        self.respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a refused request, or pass it on."""
        error = self.check(scope) if scope["type"] == "http" else None
        if error is None:
            await self.app(scope, receive, send)
        else:
            await self.respond(error)(scope, receive, send)

    def check(self, scope: Scope) -> WebError | None:
        """The reason to refuse the request of ``scope``, or None."""
        query: bytes = scope.get("query_string", b"")
        length = len(scope.get("raw_path") or scope["path"].encode()) + len(query)
        if length > self.max_target_bytes:
            return URITooLong(
                f"request target of {length} bytes; this server reads at most {self.max_target_bytes} "
                "(max_body_bytes): send a long query with POST"
            )
        try:
            parse_urlencoded(query)
        except BadRequest as error:
            return error
        return None
