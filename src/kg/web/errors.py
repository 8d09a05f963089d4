"""Domain errors of the web layer.

Handlers raise these; :data:`kg.web.app.ERROR_STATUS` maps each to its HTTP status code, in one place.
The message of the exception is the body of the response (``text/plain``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType


class WebError(Exception):
    """Base class of the errors the web layer answers with a status code.

    Attributes:
        headers: extra response headers for this error (e.g. ``Retry-After``); none by default.
    """

    headers: Mapping[str, str] = MappingProxyType({})


class NotFound(WebError):
    """The IRI or file is not known (RFC 9110, section 15.5.5: 404)."""


class BadRequest(WebError):
    """The request is malformed, e.g. a SPARQL query without ``query`` (RFC 9110, 15.5.1: 400)."""


class QuerySyntaxError(BadRequest):
    """The SPARQL query does not parse; the message is the parser's (SPARQL 1.1 Protocol, 2.1.4: 400)."""


class ReadOnly(WebError):
    """A SPARQL Update was sent to this read-only service (SPARQL 1.1 Protocol, 2.2; answered 403)."""


class FederationDisabled(WebError):
    """A query uses ``SERVICE``: the server does not call other endpoints for anonymous clients (403)."""


class NotAcceptable(WebError):
    """No offered media type fits the ``Accept`` header or ``?format=`` (RFC 9110, 15.5.7: 406)."""


class PayloadTooLarge(WebError):
    """The request body is larger than the server reads (RFC 9110, 15.5.14: 413)."""


class UnsupportedMediaType(WebError):
    """The request body has a media type the operation does not take (RFC 9110, 15.5.16: 415)."""


class URITooLong(WebError):
    """The request target is longer than the server reads (RFC 9110, 15.5.15: 414)."""


class ResultTooLarge(WebError):
    """The query's result has more rows than the endpoint returns (``max_result_rows``; answered 422,
    RFC 9110, 15.5.21: the request is understood but not carried out as sent; add ``LIMIT``)."""


class QueryFailed(WebError):
    """The query could not be carried out, e.g. it took its worker process down (SPARQL 1.1 Protocol,
    2.1.5: 500)."""


class ServiceUnavailable(WebError):
    """The server will not answer this request now (RFC 9110, 15.6.4: 503)."""


class QueryTimeout(ServiceUnavailable):
    """The query ran longer than ``query_timeout`` and was stopped (503)."""


class Overloaded(ServiceUnavailable):
    """Too many queries are running or waiting (``max_concurrent_queries``); answered 503 with
    ``Retry-After`` (RFC 9110, 10.2.3)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}


class ClientClosedRequest(WebError):
    """The client closed the connection before the answer; its query was stopped (logged as 499, the
    status nginx logs for this; nobody receives the response)."""
