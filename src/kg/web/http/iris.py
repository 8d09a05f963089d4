"""Mapping between request paths and the IRIs they name (design notes, section 2).

``{base}/id/{ref}`` names a thing and ``/doc/{ref}`` on this server describes it, whatever host the
server runs on. A request path is a URI path; the IRI in the store may hold non-ASCII characters. The
two are converted as RFC 3987 prescribes (section 3.1 IRI -> URI, section 3.2 URI -> IRI): only
percent-encoded UTF-8 sequences of non-ASCII characters are decoded, so ``%20`` or ``%2F`` stay as they
are and nothing is decoded twice.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from starlette.requests import Request

_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")

#: Characters that may stay as they are in a URI (RFC 3986 reserved + unreserved, and ``%``).
_URI_SAFE = "!#$%&'()*+,/:;=?@[]~-._"


def uri_to_iri(uri: str) -> str:
    """Decode the percent-encoded non-ASCII UTF-8 sequences of ``uri``; keep every other escape.

    Standard: RFC 3987, section 3.2.
    """

    def decode(match: re.Match[str]) -> str:
        run = match.group(0)
        octets = bytes.fromhex(run.replace("%", ""))
        out: list[str] = []
        i = 0
        while i < len(octets):
            width = _utf8_width(octets, i)
            if width > 1:
                try:
                    out.append(octets[i : i + width].decode("utf-8"))
                    i += width
                    continue
                except UnicodeDecodeError:
                    pass
            out.append(run[3 * i : 3 * i + 3])
            i += 1
        return "".join(out)

    return _PERCENT_RUN.sub(decode, uri)


def _utf8_width(octets: bytes, i: int) -> int:
    """Length of the UTF-8 sequence starting at ``octets[i]`` (1 for ASCII or a stray byte)."""
    lead = octets[i]
    width = 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if 0xF0 <= lead <= 0xF4 else 1
    return width if i + width <= len(octets) else 1


def iri_to_uri(iri: str) -> str:
    """Percent-encode the characters of ``iri`` that a URI cannot hold (non-ASCII, spaces).

    Standard: RFC 3987, section 3.1.
    """
    return quote(iri, safe=_URI_SAFE)


def raw_tail(request: Request, prefix: str) -> str:
    """Return the request path after ``prefix`` exactly as the client sent it (still percent-encoded).

    Uses the ASGI ``raw_path`` so that the percent-decoding done for routing is not applied twice.
    Falls back to re-encoding the decoded path when the server gives no ``raw_path``.
    """
    raw = request.scope.get("raw_path")
    path = raw.decode("utf-8", "surrogateescape") if isinstance(raw, bytes) else iri_to_uri(request.url.path)
    root = request.scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    return path[len(prefix) :] if path.startswith(prefix) else path


def local_href(iri: str, base: str) -> str | None:
    """Return this server's link for ``iri``: ``/doc/...`` for ``{base}/id/...``, the path for other
    IRIs under ``{base}`` that the server serves (``/bronnen/``, ``/dumps/``), else ``None``."""
    if iri.startswith(base + "/id/"):
        return "/doc/" + iri_to_uri(iri[len(base) + 4 :])
    for served in ("/bronnen/", "/dumps/"):
        if iri.startswith(base + served):
            return iri_to_uri(iri[len(base) :])
    return None
