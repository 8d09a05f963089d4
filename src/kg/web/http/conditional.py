"""Conditional requests: validators taken from the build, and when to answer ``304 Not Modified``.

Everything the server answers from a build changes only when a new build is published, so a
representation's ``ETag`` is the build id plus the variant (format, file) and its ``Last-Modified`` is
the time the build was published (RFC 9110, sections 8.8.2 and 8.8.3). That is a strong validator only
because every representation is the same bytes each time it is made from one build (blank nodes in canonical
form, fixed order: :mod:`kg.web.http.serialize`); one that depends on more than the build (the service
description names the URL it was asked at) gets a tag computed from its bytes (:func:`content_validators`).
The gzip layer
(:mod:`kg.web.http.compression`) marks compressed representations by appending ``-gzip`` to the tag, as
Apache httpd does; such a tag matches the uncompressed one here.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote

from starlette.datastructures import Headers

from kg.store.local import Publication

#: Suffix the gzip layer appends to an entity tag (inside the quotes).
GZIP_SUFFIX = "-gzip"
_BUILD_TIME = "%Y%m%dT%H%M%S.%f"


@dataclass(frozen=True)
class Validators:
    """The validators of one representation.

    Attributes:
        etag: the opaque entity tag, without quotes (a strong validator).
        modified: when the representation last changed (UTC).
    """

    etag: str
    modified: datetime

    def headers(self) -> dict[str, str]:
        """The ``ETag`` and ``Last-Modified`` response headers (RFC 9110, 8.8.3 and 8.8.2)."""
        return {"ETag": f'"{self.etag}"', "Last-Modified": format_datetime(self.modified, usegmt=True)}


def build_validators(publication: Publication, variant: str) -> Validators:
    """Validators of a representation of ``publication``: ``ETag`` "<build id>-<variant>", and the
    build's publication time (read from its id, else the time its report or folder was written).
    Characters an entity tag cannot hold (RFC 9110, 8.8.3: ``etagc``) are percent-encoded."""
    return Validators(etag=quote(f"{publication.build_id}-{variant}", safe=""), modified=published_at(publication))


def content_validators(publication: Publication, variant: str, body: bytes) -> Validators:
    """Validators of a representation of ``publication`` whose bytes depend on more than the build: the
    ``ETag`` of :func:`build_validators` with a digest of ``body`` appended (SHA-256, 16 hex digits)."""
    validators = build_validators(publication, variant)
    digest = hashlib.sha256(body).hexdigest()[:16]
    return Validators(etag=f"{validators.etag}-{digest}", modified=validators.modified)


def published_at(publication: Publication) -> datetime:
    """When ``publication`` was published, to the second (UTC)."""
    return _published_at(publication.root)


@functools.lru_cache(maxsize=64)
def _published_at(root: Path) -> datetime:
    """When the build in folder ``root`` was published (read once per build: asked on every request)."""
    try:
        moment = datetime.strptime(root.name.split("-", 1)[0], _BUILD_TIME).replace(tzinfo=UTC)
    except ValueError:
        stamp = next((p for p in (root / "report.json", root) if p.exists()), None)
        moment = datetime.fromtimestamp(stamp.stat().st_mtime if stamp else 0, UTC)
    return moment.replace(microsecond=0)


#: An entity tag (RFC 9110, 8.8.3): ``[W/] DQUOTE *etagc DQUOTE``, etagc = %x21 / %x23-7E / obs-text.
_ENTITY_TAG = re.compile(r'(W/)?"([\x21\x23-\x7e\x80-\xff]*)"')
#: One element of a comma-separated list: a quoted string (which may hold commas) or other characters.
_ELEMENT = re.compile(r'(?:"[^"]*"?|[^,"])+')


def parse_if_none_match(values: list[str]) -> tuple[bool, frozenset[str]] | None:
    """Read the ``If-None-Match`` header fields ``values`` (one or several lines; a line may be a list).

    Returns:
        ``(True, {})`` for ``*``; else ``(False, opaque tags)``, the tags without ``W/`` and quotes (weak
        comparison ignores the prefix); None when no element is a valid entity tag (nor ``*``), so that the
        field counts as absent. Invalid elements of a list (``garbage``, an unclosed quote, a ``*`` among tags)
        are ignored; ``""`` and ``W/""`` are valid empty tags, which match no representation.

    Standard: RFC 9110, sections 13.1.2 (``If-None-Match = "*" / #entity-tag``), 8.8.3 (``entity-tag``) and
    5.6.1 (lists: empty elements ignored); an invalid field is ignored rather than answered with an error.
    """
    text = ", ".join(values)
    if text.strip() == "*":
        return True, frozenset()
    tags: set[str] = set()
    valid = False
    for element in _ELEMENT.findall(text):
        match = _ENTITY_TAG.fullmatch(element.strip())
        if match:
            valid = True
            tags.add(match[2])
    return (False, frozenset(tags)) if valid else None


def not_modified(method: str, headers: Headers | Mapping[str, str], validators: Validators) -> bool:
    """True when a request's preconditions say the client's copy is current (answer 304).

    Args:
        method: the request method (``If-Modified-Since`` only applies to GET and HEAD).
        headers: the request headers (Starlette's ``Headers``, whose repeated fields are all read, or any
            case-insensitive mapping).
        validators: those of the representation that would be sent.

    ``If-None-Match`` is evaluated when present and valid (:func:`parse_if_none_match`; weak comparison: ``W/``
    prefixes and the gzip suffix are ignored; ``*`` matches), and then ``If-Modified-Since`` is not; an
    unparsable date is ignored.

    Standard: RFC 9110, sections 13.1.2, 13.1.3 and 13.2.2.
    """
    lines = headers.getlist("if-none-match") if isinstance(headers, Headers) else (
        [headers["if-none-match"]] if headers.get("if-none-match") is not None else [])
    if lines:
        parsed = parse_if_none_match(lines)
        if parsed is not None:
            star, tags = parsed
            return star or validators.etag in {tag.removesuffix(GZIP_SUFFIX) for tag in tags}
    since = headers.get("if-modified-since")
    if since is None or method not in ("GET", "HEAD"):
        return False
    try:
        moment = parsedate_to_datetime(since)
    except (TypeError, ValueError, IndexError, OverflowError):
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return validators.modified <= moment
