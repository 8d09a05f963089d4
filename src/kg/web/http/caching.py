"""What caches are told: ``Cache-Control`` per kind of route, and ``HEAD`` answered exactly as ``GET``.

:class:`CacheControl` gives every response that has none the ``Cache-Control`` of its kind of route, which the
application decides (:func:`kg.web.app.cache_policy`; the table is in the README, "Caching"): how long a cache
may reuse it without asking (RFC 9111, section 5.2.2), and for a representation of the build how it
revalidates (its ``ETag``, :mod:`kg.web.http.conditional`). A ``304`` gets the header its ``200`` would
(RFC 9110, 15.4.5); an error (4xx, 5xx) ``no-store``, since the next build or a moment later may answer
otherwise.

:class:`HeadAsGet` answers ``HEAD`` by running the ``GET`` and sending its status and header fields without the
body (RFC 9110, 9.3.2): the same ``Content-Type``, ``ETag``, ``Content-Length`` and ``Content-Encoding``,
also for files, which Starlette would otherwise answer uncompressed with the file's length even when their
``GET`` is gzipped. A streamed body (a dump) is stopped once its header fields are out.

:class:`StaticFiles` serves the query UI's files with Starlette, its ``If-None-Match`` read as every other route
reads it (:func:`kg.web.http.conditional.parse_if_none_match`: lists, repeated fields, the gzip layer's tags).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette import staticfiles
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.web.http.conditional import GZIP_SUFFIX, parse_if_none_match

#: A representation that never changes at its URL (a versioned file): a year, never revalidated.
IMMUTABLE = "public, max-age=31536000, immutable"
#: A representation of the build (pages, graphs, discovery documents, dumps): reused for 5 minutes, then
#: revalidated with its ``ETag`` (a ``304`` while the same build is served).
PER_BUILD = "public, max-age=300"
#: A document that should show a new build at once (the landing page): stored, but revalidated every time.
REVALIDATE = "public, no-cache"
#: A query answer of a GET: a minute (it has no validator; a new build is seen within that minute).
QUERY_ANSWER = "public, max-age=60"
#: The query UI's own files: a day.
STATIC = "public, max-age=86400"
#: Never stored: errors, ``/health``, answers to POST.
NO_STORE = "no-store"


class CacheControl:
    """ASGI middleware that adds ``Cache-Control`` to responses that have none (see the module documentation).

    Args:
        app: the application.
        policy: the header of a successful (or 3xx) response to ``(method, path)``.
    """

    def __init__(self, app: ASGIApp, policy: Callable[[str, str], str]) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the header to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, root = scope.get("path", ""), scope.get("root_path", "")
        path = path[len(root) :] if root and path.startswith(root) else path

        async def with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message.get("headers", [])))
                if "cache-control" not in headers:
                    status = int(message["status"])
                    headers["Cache-Control"] = NO_STORE if status >= 400 else self.policy(scope["method"], path)
                message["headers"] = headers.raw
            await send(message)

        await self.app(scope, receive, with_policy)


class _HeadersSent(Exception):
    """The header fields of a HEAD's streamed answer are out: stop making its body."""


class HeadAsGet:
    """ASGI middleware: ``HEAD`` is answered as ``GET`` without the body (see the module documentation).

    Standard: RFC 9110, section 9.3.2.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the GET of a HEAD request and send only its status and header fields."""
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        finished = False

        async def headers_only(message: Message) -> None:
            nonlocal finished
            if message["type"] == "http.response.start":
                await send(message)
            elif message["type"] in ("http.response.body", "http.response.pathsend") and not finished:
                finished = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                if message.get("more_body", False):
                    raise _HeadersSent

        try:
            await self.app({**scope, "method": "GET"}, receive, headers_only)
        except _HeadersSent:
            pass
        except BaseExceptionGroup as group:  # a task group of the response wraps it
            rest = group.subgroup(lambda error: not isinstance(error, _HeadersSent))
            if rest is not None:
                raise rest from None


class StaticFiles(staticfiles.StaticFiles):
    """Starlette's static files, with ``If-None-Match`` evaluated as on every other route (see the module
    documentation)."""

    def is_not_modified(self, response_headers: Headers, request_headers: Headers) -> bool:
        """True when the client's copy is current: a tag of ``If-None-Match`` (weak comparison, the gzip suffix
        ignored) is the file's, else (no valid ``If-None-Match``) Starlette's ``If-Modified-Since`` check.

        Standard: RFC 9110, sections 13.1.2 and 13.2.2.
        """
        parsed = parse_if_none_match(request_headers.getlist("if-none-match"))
        if parsed is None:
            without = Headers(raw=[(k, v) for k, v in request_headers.raw if k.lower() != b"if-none-match"])
            return super().is_not_modified(response_headers, without)
        star, tags = parsed
        return star or response_headers["etag"].strip('"') in {tag.removesuffix(GZIP_SUFFIX) for tag in tags}
