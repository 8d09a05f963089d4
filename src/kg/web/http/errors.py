"""Domain errors of the web layer.

Handlers raise these; :data:`kg.web.app.ERROR_STATUS` maps each to its HTTP status code, in one place.
The message of the exception is the body of the response (``text/plain``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from kg.store.remote import RemoteError, RemoteRefused, RemoteStopped, RemoteTimeout, RemoteUnavailable

#: ``Retry-After`` (seconds) sent with ``503`` when the server or its store is busy or away.
RETRY_AFTER = 5


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


class ExtensionDisabled(WebError):
    """A query names a triplestore's own functions (Virtuoso's ``bif:`` and ``sql:``), which could run with
    the rights of the account the server reads a remote store with (403)."""


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


class BadGateway(WebError):
    """The remote store failed, or answered what cannot be read (RFC 9110, 15.6.3: 502)."""


class ServiceUnavailable(WebError):
    """The server will not answer this request now (RFC 9110, 15.6.4: 503)."""


class StoreUnavailable(ServiceUnavailable):
    """The remote store cannot be reached now; answered 503 with ``Retry-After``."""

    headers = MappingProxyType({"Retry-After": str(RETRY_AFTER)})


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


def timeout_message(seconds: float) -> str:
    """What a query stopped at the time limit of ``seconds`` is answered."""
    return (f"the query ran longer than {seconds:g} s, the most this endpoint allows (query_timeout), "
            "and was stopped; make it more selective, or download the dumps (/dumps/kg.trig)")


def from_remote(error: RemoteError) -> WebError:
    """The answer to a request the remote store could not serve (:mod:`kg.store.remote`): a refused query is the
    client's ``400`` (with the store's message), no time left ``503``, no connection ``503`` with
    ``Retry-After``, a stopped query ``499``, any other failure ``502``."""
    if isinstance(error, RemoteRefused):
        return BadRequest(f"the triplestore refused the query: {error}")
    if isinstance(error, RemoteTimeout):
        return QueryTimeout(str(error))
    if isinstance(error, RemoteUnavailable):
        return StoreUnavailable(f"{error}; try again in {RETRY_AFTER} s")
    if isinstance(error, RemoteStopped):
        return ClientClosedRequest("the client closed the connection; the query was stopped")
    return BadGateway(str(error))
