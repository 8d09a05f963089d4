"""Operations: /health checks the store, the structured access log, ETag/Last-Modified with 304, gzip, and
HEAD on every GET route."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from backends import serving
from conftest import SEED, build_into
from kg.build.pipeline import BuildResult
from kg.settings import Settings
from kg.store.local import open_publication
from kg.web import create_app

PRODUCT = "/doc/product/pv22-2016-2-4"
IDENTITY = {"Accept-Encoding": "identity"}


@pytest.fixture(scope="module")
def url(built: tuple[Settings, BuildResult]) -> Iterator[str]:
    """A server over the session's real build."""
    settings = built[0]
    with serving(create_app(settings, open_publication(settings.data_dir))) as address:
        yield address


def test_health_reports_the_store_the_build_and_workers(url: str, built: tuple[Settings, BuildResult]) -> None:
    health = httpx.get(url + "/health")
    assert health.status_code == 200
    body = health.json()
    assert (body["status"], body["store"], body["build"]) == ("ok", "reachable", built[1].root.name)
    assert body["triples"] == len(open_publication(built[0].data_dir).store)
    assert set(body["queries"]) == {"workers", "running", "waiting"}


def test_health_is_503_when_the_store_is_gone(tmp_path: Path) -> None:
    settings, result = build_into(tmp_path)
    with serving(create_app(settings, open_publication(settings.data_dir))) as address:
        (result.root / "store").rename(result.root / "store-moved")
        health = httpx.get(address + "/health")
        assert health.status_code == 503
        assert health.json()["status"] == "unavailable"
        assert "is gone" in health.json()["store"]


def test_every_request_is_logged_as_one_json_line_with_its_time(url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="kg.access")
    httpx.get(url + "/sparql", params={"query": "ASK {}"})
    httpx.get(url + "/nothing")
    for _ in range(200):  # the server logs just after the response went out: wait for the line (bounded)
        records = [json.loads(r.getMessage()) for r in caplog.records if r.name == "kg.access"]
        by_path = {record["path"]: record for record in records}
        if "/nothing" in by_path:
            break
        time.sleep(0.01)
    assert by_path["/sparql"]["query"] == "query=ASK+%7B%7D"
    assert (by_path["/sparql"]["method"], by_path["/sparql"]["status"]) == ("GET", 200)
    assert by_path["/sparql"]["bytes"] == len(b'{"head":{},"boolean":true}')
    assert by_path["/nothing"]["status"] == 404
    for record in records:
        assert record["duration_ms"] >= 0
        assert record["client"] == "127.0.0.1"
        datetime.fromisoformat(record["time"])


@pytest.mark.parametrize("path", [f"{PRODUCT}?format=ttl", "/", "/dumps/kg.trig", f"/bronnen/{SEED}.txt"])
def test_representations_of_the_build_carry_etag_and_last_modified_and_answer_304(url: str, path: str) -> None:
    first = httpx.get(url + path)
    assert first.status_code == 200
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('"') and etag.endswith('"')
    assert parsedate_to_datetime(modified) <= datetime.now(UTC)
    for condition in ({"If-None-Match": etag}, {"If-None-Match": f'"other", W/{etag}'}, {"If-None-Match": "*"},
                      {"If-Modified-Since": modified},
                      {"If-Modified-Since": format_datetime(datetime.now(UTC) + timedelta(days=1), usegmt=True)}):
        again = httpx.get(url + path, headers=condition)
        assert again.status_code == 304, condition
        assert again.content == b""
        assert opaque(again.headers["etag"]) == opaque(etag)
    earlier = format_datetime(parsedate_to_datetime(modified) - timedelta(seconds=1), usegmt=True)
    for condition in ({"If-None-Match": '"other"'}, {"If-Modified-Since": earlier}, {"If-Modified-Since": "yesterday"},
                      {"If-None-Match": '"other"', "If-Modified-Since": modified}):
        assert httpx.get(url + path, headers=condition).status_code == 200, condition


def opaque(etag: str) -> str:
    """An entity tag without its quotes and the gzip suffix."""
    return etag.strip('"').removesuffix("-gzip")


def test_large_responses_are_gzipped_with_their_own_entity_tag(url: str) -> None:
    plain = httpx.get(url + "/dumps/kg.nq", headers=IDENTITY)
    assert "content-encoding" not in plain.headers
    with httpx.Client() as client:
        packed = client.get(url + "/dumps/kg.nq", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["vary"]
    assert packed.content == plain.content  # httpx decodes gzip
    assert packed.headers["etag"] == plain.headers["etag"][:-1] + '-gzip"'
    assert httpx.get(url + "/dumps/kg.nq", headers={"If-None-Match": packed.headers["etag"]}).status_code == 304
    page = httpx.get(url + PRODUCT, headers={"Accept-Encoding": "gzip", "Accept": "text/html"})
    assert page.headers["content-encoding"] == "gzip"
    assert "<html" in page.text
    small = httpx.get(url + "/sparql", params={"query": "ASK {}"}, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers


def api_routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """The API routes among ``routes``, including those of included routers."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # FastAPI >= 0.160 wraps included routers
            yield from api_routes(route.original_router.routes)


def test_every_get_route_answers_head(built: tuple[Settings, BuildResult], url: str) -> None:
    app = create_app(built[0], open_publication(built[0].data_dir))
    routes = [route for route in api_routes(app.routes) if "GET" in route.methods]
    assert len(routes) >= 8
    assert [route.path for route in routes if "HEAD" not in route.methods] == []
    for path in ("/", PRODUCT, "/dumps/kg.trig", f"/bronnen/{SEED}.txt", "/health", "/sparql?query=ASK%7B%7D"):
        get, head = httpx.get(url + path, headers=IDENTITY), httpx.head(url + path, headers=IDENTITY)
        assert (head.status_code, head.headers["content-type"]) == (get.status_code, get.headers["content-type"])
        assert head.content == b""
