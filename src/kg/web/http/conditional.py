"""Conditional requests: validators taken from the build, and when to answer ``304 Not Modified``.

Everything the server answers from a build changes only when a new build is published, so a
representation's ``ETag`` is the build id plus the variant (format, file) and its ``Last-Modified`` is
the time the build was published (RFC 9110, sections 8.8.2 and 8.8.3). The gzip layer
(:mod:`kg.web.http.compression`) marks compressed representations by appending ``-gzip`` to the tag, as
Apache httpd does; such a tag matches the uncompressed one here.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote

from werkzeug.http import parse_etags

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


def not_modified(method: str, headers: Mapping[str, str], validators: Validators) -> bool:
    """True when a request's preconditions say the client's copy is current (answer 304).

    Args:
        method: the request method (``If-Modified-Since`` only applies to GET and HEAD).
        headers: the request headers (case-insensitive mapping, e.g. Starlette's ``Headers``).
        validators: those of the representation that would be sent.

    ``If-None-Match`` is evaluated when present (weak comparison: ``W/`` prefixes and the gzip suffix
    are ignored; ``*`` matches), and then ``If-Modified-Since`` is not; an unparsable date is ignored.

    Standard: RFC 9110, sections 13.1.2, 13.1.3 and 13.2.2.
    """
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        tags = parse_etags(if_none_match)
        opaque = {tag.removesuffix(GZIP_SUFFIX) for tag in tags.as_set(include_weak=True)}
        return tags.star_tag or validators.etag in opaque
    since = headers.get("if-modified-since")
    if since is None or method not in ("GET", "HEAD"):
        return False
    try:
        moment = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return validators.modified <= moment
