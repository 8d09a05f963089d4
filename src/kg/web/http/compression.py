"""gzip for large responses, with entity tags that tell the compressed representation apart.

Starlette's :class:`~starlette.middleware.gzip.GZipMiddleware` compresses a response of at least
:data:`MINIMUM_BYTES` for clients that accept gzip (and adds ``Vary: Accept-Encoding``). A compressed
representation is a different representation, so its strong ``ETag`` must differ (RFC 9110, 8.8.3):
this layer appends ``-gzip`` inside the quotes, as Apache httpd does, and
:func:`kg.web.http.conditional.not_modified` matches such a tag with the uncompressed one. A ``304`` has no body
to compress, but it carries the ``Vary`` the ``200`` would (RFC 9110, 15.4.5), so ``Accept-Encoding`` is
added to it.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.web.http.conditional import GZIP_SUFFIX

#: Smallest response body compressed (bytes).
MINIMUM_BYTES = 1024
#: zlib compression level: fast, and most of level 9's gain on RDF text.
LEVEL = 6


class Compression:
    """ASGI middleware: gzip (see the module documentation)."""

    def __init__(self, app: ASGIApp) -> None:
        self.gzip = GZipMiddleware(app, minimum_size=MINIMUM_BYTES, compresslevel=LEVEL)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Compress the response when the client accepts gzip; tag compressed representations."""

        async def tagging(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message.get("headers", [])))
                etag = headers.get("etag")
                if headers.get("content-encoding") == "gzip" and etag and etag.endswith('"'):
                    headers["etag"] = etag[:-1] + GZIP_SUFFIX + '"'
                if message["status"] == 304:
                    headers.add_vary_header("Accept-Encoding")
                message["headers"] = headers.raw
            await send(message)

        await self.gzip(scope, receive, tagging)
