"""A bounded in-memory cache of rendered resource representations, one per served build.

What ``/doc/...`` answers depends only on the build served, the resource and the negotiated media type
(its ``ETag`` says so: :func:`kg.web.http.conditional.build_validators`), so the bytes rendered once can be
served again until the next build, as a reverse proxy (Varnish) in front of Fuseki would. The cache is
owned by the :class:`kg.web.site.Site` of one build: when a rebuild is swapped in, the next request gets the
new build's ``Site`` and its empty cache (:class:`kg.web.site.Sites`), so a representation of the old build
is never served for the new one. Entries are evicted least recently used first beyond a budget in bytes.
With a remote store (``sparql_endpoint``) the same holds: a build's graphs are published to the store once
(``kg publish --to``), and a re-publication of other data under the same build would already make the
build's ``ETag`` wrong.

It also keeps which IRI a ``/id/`` or ``/doc/`` path names (:func:`kg.web.routes.resources.resolve`, a query per
request otherwise), as text.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

#: Bytes of representations kept per build.
DEFAULT_BUDGET = 64 * 1024 * 1024
#: Largest single representation kept (a larger one is rendered every time).
MAX_ENTRY = 1024 * 1024


class PageCache:
    """Least-recently-used cache of representations (``bytes``, or text counted by its length) by key,
    within a budget in bytes.

    Thread-safe: handlers read it on the event loop and threads may fill it.

    Args:
        budget: the most bytes of representations kept (0 keeps none).
        max_entry: the largest representation kept.
    """

    def __init__(self, budget: int = DEFAULT_BUDGET, max_entry: int = MAX_ENTRY) -> None:
        self.budget = budget
        self.max_entry = min(max_entry, budget)
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, bytes | str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> bytes | str | None:
        """The representation kept under ``key`` (now the most recently used), or None."""
        with self._lock:
            body = self._entries.get(key)
            if body is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return body

    def put(self, key: Hashable, body: bytes | str) -> None:
        """Keep ``body`` under ``key``, evicting the least recently used entries beyond the budget; a body
        larger than ``max_entry`` is not kept."""
        if len(body) > self.max_entry:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            self.size += len(body) - (len(previous) if previous is not None else 0)
            self._entries[key] = body
            while self.size > self.budget:
                _, evicted = self._entries.popitem(last=False)
                self.size -= len(evicted)

    def __len__(self) -> int:
        """The number of representations kept."""
        return len(self._entries)
