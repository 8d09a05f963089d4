"""Domain errors of the web layer.

Handlers raise these; :data:`kg.web.app.ERROR_STATUS` maps each to its HTTP status code, in one place.
The message of the exception is the body of the response (``text/plain``).
"""

from __future__ import annotations


class WebError(Exception):
    """Base class of the errors the web layer answers with a status code."""


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
