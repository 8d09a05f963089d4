"""How ``kg serve`` runs the application with uvicorn: protocol limits and logging.

uvicorn's HTTP/1.1 parser (h11) drops a connection whose request line and headers exceed 16 KiB, so a
long query sent with GET would get no answer at all; the buffer is raised to the request target limit
(``max_body_bytes``) plus room for headers, and the application answers a longer target with ``414``
(:class:`kg.web.http.limits.RequestGuard`).

With more than one worker (``kg serve --workers N``) uvicorn's supervisor runs N server processes on one
listening socket (:func:`run_workers`); each builds its own application from the ``KG_*`` environment
(:func:`app_from_environment`): its own read-only store, query workers (``query_workers`` each, and
``max_concurrent_queries`` each) and page cache (:mod:`kg.web.http.page_cache`). The socket is bound here with
``IPPROTO_TCP``: one bound by uvicorn (0.54) has protocol 0, so asyncio leaves Nagle's algorithm on for its
connections and every keep-alive response waits about 40 ms for the client's delayed ACK (uvicorn issue
#3149).
"""

from __future__ import annotations

import copy
import os
import socket
from typing import Any

import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr
from uvicorn.config import LOGGING_CONFIG
from uvicorn.supervisors import Multiprocess

from kg.settings import Settings
from kg.store.local import open_publication
from kg.web.app import create_app
from kg.web.http.accesslog import ACCESS_LOGGER

#: Bytes of request headers accepted besides the request target.
HEADER_ALLOWANCE = 64 * 1024
#: The application factory each worker process imports (:func:`app_from_environment`).
FACTORY = "kg.web.server:app_from_environment"


def server_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for :class:`uvicorn.Config` (and :func:`uvicorn.run`): the h11 protocol with its
    buffer sized to ``settings.max_body_bytes``, and uvicorn's own access log off (see
    :mod:`kg.web.http.accesslog`)."""
    return {
        "http": "h11",
        "h11_max_incomplete_event_size": settings.max_body_bytes + HEADER_ALLOWANCE,
        "access_log": False,
    }


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration plus the ``kg`` loggers: access records as bare JSON lines and
    the server's own messages (e.g. query workers stopped) at INFO, both on standard error."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["bare"] = {"format": "%(message)s"}
    config["handlers"]["kg.access"] = {"formatter": "bare", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"}
    config["loggers"][ACCESS_LOGGER] = {"handlers": ["kg.access"], "level": "INFO", "propagate": False}
    config["loggers"]["kg"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def app_from_environment() -> FastAPI:
    """The application over the current build of ``KG_DATA_DIR``, with the settings of the ``KG_*``
    environment: the factory each worker process of :func:`run_workers` calls.

    Raises:
        kg.store.local.NoPublicationError: when nothing is published in the data folder.
        OSError: when the store cannot be read.
    """
    settings = Settings()
    return create_app(settings, open_publication(settings.data_dir))


def settings_environment(settings: Settings) -> dict[str, str]:
    """The ``KG_<FIELD>`` environment variables that give a new process the fields of ``settings`` that
    were set (by options or the environment), so that its ``Settings()`` equals ``settings``."""
    environment = {}
    for name in settings.model_fields_set:
        value = getattr(settings, name)
        if value is not None:
            text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
            environment[f"KG_{name.upper()}"] = text
    return environment


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host``:``port`` with protocol ``IPPROTO_TCP`` (see the module documentation),
    inheritable by the worker processes.

    Raises:
        OSError: when the address cannot be bound (e.g. in use).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def run_workers(settings: Settings, workers: int, sock: socket.socket) -> None:
    """Serve with ``workers`` server processes on the bound socket ``sock`` (:func:`listening_socket`) until
    stopped (Ctrl-C or SIGTERM), with uvicorn's supervisor, which restarts a worker that dies; the socket is
    closed at the end."""
    os.environ.update(settings_environment(settings))
    config = uvicorn.Config(FACTORY, factory=True, host=settings.host, port=settings.port, workers=workers,
                            log_config=log_config(), **server_options(settings))
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
