"""How ``kg serve`` runs the application with uvicorn: protocol limits and logging.

uvicorn's HTTP/1.1 parser (h11) drops a connection whose request line and headers exceed 16 KiB, so a
long query sent with GET would get no answer at all; the buffer is raised to the request target limit
(``max_body_bytes``) plus room for headers, and the application answers a longer target with ``414``
(:class:`kg.web.limits.RequestGuard`).
"""

from __future__ import annotations

import copy
from typing import Any

from uvicorn.config import LOGGING_CONFIG

from kg.settings import Settings
from kg.web.accesslog import ACCESS_LOGGER

#: Bytes of request headers accepted besides the request target.
HEADER_ALLOWANCE = 64 * 1024


def server_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for :class:`uvicorn.Config` (and :func:`uvicorn.run`): the h11 protocol with its
    buffer sized to ``settings.max_body_bytes``, and uvicorn's own access log off (see
    :mod:`kg.web.accesslog`)."""
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
