"""Caching that tells the truth (issue 15, "What to build" 2): every representation is the same bytes each time it
is made from one build (so its strong ``ETag`` is honest), in any server process; ``HEAD`` answers what ``GET``
does; ``Cache-Control`` by kind of route; ``If-None-Match`` of any shape never fails (RFC 9110, 13.1.2).

The servers are real: one uvicorn in this process and two ``kg serve`` processes over the same build with other
``PYTHONHASHSEED`` values (set and dict order differ between processes), each with its own empty page cache.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import httpx
import pytest

from backends import serving, wait_for_health
from conftest import REPO, SEED, build_into
from helpers import BROWSER, free_port
from kg.settings import Settings
from kg.store.local import open_publication
from kg.web import create_app
from kg.web.http.conditional import parse_if_none_match

PRODUCT = "/doc/product/pv22-2016-2-4"
GRAPH = "/graph/pv22-2016-programma-2"
IDENTITY = {"Accept-Encoding": "identity"}
#: A fixed Host, so that the service description (which names the URL asked) is the same on every server.
HOST = {"Host": "kg.test"}

#: Every representation of the build whose bytes must not change between requests or processes: the catalog,
#: VoID, shapes, the ontology, a named graph, a resource and the service description, in each of their formats.
STABLE = [
    f"{path}?format={name}"
    for path in ("/catalog", "/.well-known/void", "/shapes/begroting", "/def/begroting", GRAPH, PRODUCT, "/sparql")
    for name in ("ttl", "nt", "jsonld", "rdf", "html")
    if not (path == "/sparql" and name == "html")  # that is the query page
] + ["/", "/sparql?format=html"]


@dataclass(frozen=True)
class Servers:
    """The URLs of the servers over one build: ``here`` in this process, ``others`` in ``kg serve`` processes."""

    here: str
    others: tuple[str, ...]
    settings: Settings


@contextmanager
def kg_serve(settings: Settings, hash_seed: str) -> Iterator[str]:
    """Run ``kg serve`` over the build of ``settings`` with ``PYTHONHASHSEED=hash_seed``; yield its URL."""
    port = free_port()
    command = [sys.executable, "-m", "kg", "serve", "--port", str(port), "--data-dir", str(settings.data_dir),
               "--seeds-dir", str(settings.seeds_dir)]
    environment = {**os.environ, "NO_COLOR": "1", "PYTHONHASHSEED": hash_seed}
    process = subprocess.Popen(command, cwd=REPO, env=environment, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, lambda: process.poll() is None)
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """The seed built once, served here and by two ``kg serve`` processes."""
    settings, _ = build_into(tmp_path_factory.mktemp("caching"))
    with ExitStack() as stack:
        here = stack.enter_context(serving(create_app(settings, open_publication(settings.data_dir))))
        others = tuple(stack.enter_context(kg_serve(settings, seed)) for seed in ("1", "2"))
        yield Servers(here, others, settings)


@pytest.fixture(scope="module")
def url(servers: Servers) -> str:
    """The server in this process."""
    return servers.here


# --- The same bytes every time ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", STABLE)
def test_a_representation_is_the_same_bytes_with_one_etag_on_every_request_and_server(servers: Servers,
                                                                                      path: str) -> None:
    answers = [httpx.get(base + path, headers={**IDENTITY, **HOST}) for base in (servers.here, *servers.others)]
    answers.append(httpx.get(servers.here + path, headers={**IDENTITY, **HOST}))  # from the page cache, if kept
    assert {answer.status_code for answer in answers} == {200}
    assert len({answer.content for answer in answers}) == 1, path
    assert len({answer.headers["etag"] for answer in answers}) == 1, path
    assert {int(answer.headers["content-length"]) for answer in answers} == {len(answers[0].content)}


def test_the_service_description_is_stable_and_its_tag_follows_its_bytes(url: str) -> None:
    first = httpx.get(url + "/sparql", headers={"Accept": "application/rdf+xml", **IDENTITY})
    second = httpx.get(url + "/sparql", headers={"Accept": "application/rdf+xml", **IDENTITY})
    assert first.content == second.content and first.headers["etag"] == second.headers["etag"]
    elsewhere = httpx.get(url + "/sparql", headers={"Accept": "application/rdf+xml", **IDENTITY, **HOST})
    assert elsewhere.content != first.content and elsewhere.headers["etag"] != first.headers["etag"]


# --- HEAD is GET without the body --------------------------------------------------------------------------------

HEAD_PATHS = [
    *STABLE,
    "/id/product/pv22-2016-2-4",  # 303
    "/dumps/kg.trig",
    "/dumps/kg.nq",
    f"/bronnen/{SEED}.txt",
    "/context.jsonld",
    "/context/0.1.0.jsonld",
    "/static/yasgui/yasgui.min.js",
    "/sparql?query=ASK%7B%7D",
    "/sparql?query=CONSTRUCT%7B%3Fs%20a%20%3Fc%7DWHERE%7B%3Fs%20a%20%3Fc%7D",
    "/health",
    "/nothing-here",  # 404
]


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
@pytest.mark.parametrize("path", HEAD_PATHS)
def test_head_answers_the_header_fields_of_get(url: str, path: str, encoding: str) -> None:
    headers = {"Accept-Encoding": encoding}
    with httpx.Client() as client:
        get = client.send(client.build_request("GET", url + path, headers=headers), stream=True)
        raw = b"".join(get.iter_raw())
        head = client.head(url + path, headers=headers)
    assert head.status_code == get.status_code
    assert head.content == b""
    ignored = {"date"} | ({"content-length"} if path == "/health" else set())  # its figures may move
    assert {k: v for k, v in head.headers.items() if k not in ignored} == {
        k: v for k, v in get.headers.items() if k not in ignored}, path
    if "content-length" in get.headers and path != "/health":
        assert int(get.headers["content-length"]) == len(raw)


# --- Cache-Control per kind of route ----------------------------------------------------------------------------------

PER_BUILD = "public, max-age=300"


@pytest.mark.parametrize(("method", "path", "headers", "status", "cache_control"), [
    ("GET", "/", {}, 200, "public, no-cache"),
    ("GET", PRODUCT, {}, 200, PER_BUILD),
    ("GET", "/id/product/pv22-2016-2-4", {}, 303, PER_BUILD),
    ("GET", GRAPH, {}, 200, PER_BUILD),
    ("GET", "/catalog", {}, 200, PER_BUILD),
    ("GET", "/.well-known/void", {}, 200, PER_BUILD),
    ("GET", "/def/begroting", {}, 200, PER_BUILD),
    ("GET", "/shapes/begroting", {}, 200, PER_BUILD),
    ("GET", "/dumps/kg.trig", {}, 200, PER_BUILD),
    ("GET", f"/bronnen/{SEED}.txt", {}, 200, PER_BUILD),
    ("GET", "/context.jsonld", {}, 200, PER_BUILD),
    ("GET", "/context/0.1.0.jsonld", {}, 200, "public, max-age=31536000, immutable"),
    ("GET", "/static/yasgui/yasgui.min.js", {}, 200, "public, max-age=86400"),
    ("GET", "/sparql", {"Accept": "text/turtle"}, 200, PER_BUILD),  # the service description
    ("GET", "/sparql", {"Accept": BROWSER}, 200, PER_BUILD),  # the query page
    ("GET", "/sparql?query=ASK%7B%7D", {}, 200, "public, max-age=60"),
    ("POST", "/sparql?query=ASK%7B%7D", {"Content-Type": "application/x-www-form-urlencoded"}, 200, "no-store"),
    ("GET", "/health", {}, 200, "no-store"),
    ("GET", "/doc/product/none", {}, 404, "no-store"),
    ("GET", "/sparql?query=SELEKT", {}, 400, "no-store"),
    ("GET", PRODUCT, {"Accept": "image/png"}, 406, "no-store"),
])
def test_cache_control_by_kind_of_route(url: str, method: str, path: str, headers: dict[str, str], status: int,
                                        cache_control: str) -> None:
    response = httpx.request(method, url + path, headers=headers)
    assert (response.status_code, response.headers.get("cache-control")) == (status, cache_control)
    if status == 200 and "etag" in response.headers:  # the 304 says what the 200 says (RFC 9110, 15.4.5)
        again = httpx.request(method, url + path, headers={**headers, "If-None-Match": response.headers["etag"]})
        assert (again.status_code, again.headers.get("cache-control")) == (304, cache_control)


# --- If-None-Match of any shape -------------------------------------------------------------------------------------

VALIDATED = ["/", PRODUCT, f"{PRODUCT}?format=jsonld", GRAPH, "/catalog", "/.well-known/void", "/def/begroting",
             "/shapes/begroting", "/sparql", "/dumps/kg.nq", f"/bronnen/{SEED}.txt", "/context.jsonld"]


@pytest.mark.parametrize("path", VALIDATED)
@pytest.mark.parametrize("value", ['""', 'W/""', "garbage", "W/", '"unterminated', '*, "x"', ",,", '"a", W/"b"',
                                   "\"a\" \"b\"", "W/W/\"x\""])
def test_if_none_match_of_any_shape_never_fails(url: str, path: str, value: str) -> None:
    response = httpx.get(url + path, headers={"If-None-Match": value})
    assert response.status_code == 200, (path, value, response.text[:200])


@pytest.mark.parametrize("path", VALIDATED)
def test_if_none_match_lists_and_repeated_fields_match_their_tag(url: str, path: str) -> None:
    etag = httpx.get(url + path).headers["etag"]
    for headers in ([("If-None-Match", f'"other", {etag}')], [("If-None-Match", f'W/"x", garbage, W/{etag}')],
                    [("If-None-Match", '"other"'), ("If-None-Match", etag)], [("If-None-Match", "*")]):
        assert httpx.get(url + path, headers=headers).status_code == 304, headers
    assert httpx.get(url + path, headers=[("If-None-Match", '"other"'), ("If-None-Match", '""')]).status_code == 200


def test_parse_if_none_match_follows_the_grammar() -> None:
    assert parse_if_none_match(['""']) == (False, frozenset({""}))
    assert parse_if_none_match(['W/""']) == (False, frozenset({""}))
    assert parse_if_none_match(["*"]) == (True, frozenset())
    assert parse_if_none_match(['"a,b", W/"c"', '"d"']) == (False, frozenset({"a,b", "c", "d"}))
    assert parse_if_none_match(['*, "x"']) == (False, frozenset({"x"}))  # '*' only alone
    for invalid in ("garbage", "W/", '"open', ",,", ""):
        assert parse_if_none_match([invalid]) is None, invalid  # counts as absent
