"""A throwaway Virtuoso Open Source server on loopback, for the tests of ``kg publish`` (and for benchmarks).

:func:`running_virtuoso` writes a ``virtuoso.ini`` into a fresh folder (database, transaction log and error
log all in it), starts Debian's ``virtuoso-t`` in the foreground on two free ports of 127.0.0.1 (HTTP and
ISQL), waits until both answer, yields a :class:`Virtuoso` with its URLs, and stops it (SIGTERM, then SIGKILL).
Every wait is bounded. See ``benchmarks/VIRTUOSO.md`` for what was measured and why the settings are what
they are.

When ``virtuoso-t`` is missing it is installed from Debian's ``virtuoso-opensource-7-bin`` (binaries only: no
service, no debconf prompt) if this process runs as root with ``apt-get``; only when that is impossible or
fails are the tests skipped, or failed when ``KG_REQUIRE_VIRTUOSO=1`` (set by ``.ci/run``).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import httpx
import pytest

SERVER = "virtuoso-t"
ISQL = "isql-vt"
PACKAGE = "virtuoso-opensource-7-bin"
#: Seconds allowed for: installing the package, the server to answer, the server to stop, one isql call.
INSTALL_TIMEOUT = 600.0
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
ISQL_TIMEOUT = 120.0
#: Tries with new ports when the server dies before answering (another process took a port meanwhile).
START_TRIES = 3
#: The administrator of a fresh database (Virtuoso's default; the server listens on loopback only).
DBA, DBA_PASSWORD = "dba", "dba"

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql_port}
DisableUnixSocket = 1
DirsAllowed = ., {dir}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
CheckpointInterval = 60
CaseMode = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/www
ServerThreads = 10
MaxClientConnections = 10
KeepAliveTimeout = 10

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso.

    Attributes:
        directory: its folder: ``virtuoso.ini``, the database, ``virtuoso.log``, and ``load/`` (a folder in
            ``DirsAllowed``, for the bulk loader).
        http_port: the HTTP port on 127.0.0.1.
        isql_port: the SQL (ISQL/ODBC) port on 127.0.0.1.
        pid: the server's process id.
    """

    directory: Path
    http_port: int
    isql_port: int
    pid: int
    user: str = DBA
    password: str = DBA_PASSWORD

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:{http_port}``."""
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql_url(self) -> str:
        """The SPARQL 1.1 Protocol (query) endpoint, open to anyone for reading."""
        return f"{self.base_url}/sparql"

    @property
    def graph_store_url(self) -> str:
        """The SPARQL 1.1 Graph Store Protocol endpoint that writes, with HTTP digest auth (user ``dba``)."""
        return f"{self.base_url}/sparql-graph-crud-auth"

    @property
    def load_dir(self) -> Path:
        """A folder the server may read files from (``DirsAllowed``), for ``ld_dir`` and ``rdf_loader_run``."""
        return self.directory / "load"

    def isql(self, statements: str, timeout: float = ISQL_TIMEOUT) -> str:
        """Run SQL ``statements`` (``;``-separated) as dba with ``isql-vt`` and return its output.

        Raises:
            RuntimeError: when isql exits non-zero or prints an error (``*** Error``).
        """
        command = [ISQL, f"127.0.0.1:{self.isql_port}", self.user, self.password, f"exec={statements}"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise RuntimeError(f"isql failed ({done.returncode}): {output.strip()}")
        return output


def free_port() -> int:
    """A TCP port of 127.0.0.1 that is free now (the OS's choice for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_binary() -> str | None:
    """The path of ``virtuoso-t``, installing Debian's package first when it is missing and this can be done
    (root with ``apt-get``: ``apt-get install``, then ``apt-get update`` and once more); None when it cannot."""
    found = shutil.which(SERVER)
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", PACKAGE]
    for command in (install, ["apt-get", "update", "-qq"], install):
        try:
            subprocess.run(command, env=env, capture_output=True, timeout=INSTALL_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            return None
        if shutil.which(SERVER):
            break
    return shutil.which(SERVER)


def unavailable(reason: str) -> NoReturn:
    """Skip the test for lack of Virtuoso, or fail it when ``KG_REQUIRE_VIRTUOSO=1``."""
    if os.environ.get("KG_REQUIRE_VIRTUOSO") == "1":
        pytest.fail(f"{reason} (KG_REQUIRE_VIRTUOSO=1)")
    pytest.skip(reason)


@contextmanager
def running_virtuoso(directory: Path, buffers: int = 10_000) -> Iterator[Virtuoso]:
    """Start a Virtuoso with its database in ``directory``, yield it once it answers, and stop it.

    ``buffers`` is ``NumberOfBuffers``: 8 KiB pages kept in memory (the default, about 80 MB, suits tests;
    Virtuoso's guide suggests about 85,000 per GB of memory to spare for loads of millions of triples).

    Skips (or fails, see :func:`unavailable`) when ``virtuoso-t`` is not installed and cannot be.

    Raises:
        RuntimeError: when the server does not answer within :data:`START_TIMEOUT` (with its log's end).
    """
    binary = server_binary()
    if binary is None:
        unavailable(f"{SERVER} is not installed and cannot be installed here "
                    f"(as root: apt-get install -y --no-install-recommends {PACKAGE})")
    for attempt in range(1, START_TRIES + 1):
        folder = directory / f"try-{attempt}"
        process, server = _start(binary, folder, buffers)
        try:
            if _wait_until_up(process, server):
                yield server
                return
            if process.poll() is None or attempt == START_TRIES:
                raise RuntimeError(f"Virtuoso did not answer on {server.base_url} in {START_TIMEOUT:.0f} s; "
                                   f"log:\n{_log_tail(folder)}")
        finally:
            _stop(process)


def _start(binary: str, folder: Path, buffers: int) -> tuple[subprocess.Popen[bytes], Virtuoso]:
    """Write the configuration into ``folder`` and start the server on new free ports."""
    (folder / "www").mkdir(parents=True)
    (folder / "load").mkdir()
    http_port, isql_port = free_port(), free_port()
    while isql_port == http_port:
        isql_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(dir=folder, http_port=http_port, isql_port=isql_port, buffers=buffers,
                              dirty_buffers=buffers * 3 // 4), encoding="utf-8")
    with open(folder / "stdout.log", "wb") as log:
        process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=folder,
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    return process, Virtuoso(folder, http_port, isql_port, process.pid)


def _wait_until_up(process: subprocess.Popen[bytes], server: Virtuoso) -> bool:
    """Poll until the SPARQL endpoint answers ``ASK {}`` and the ISQL port accepts connections (True), or the
    process ends or :data:`START_TIMEOUT` passes (False)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            answer = httpx.get(server.sparql_url, params={"query": "ASK {}"}, timeout=2.0)
            with socket.create_connection(("127.0.0.1", server.isql_port), timeout=2.0):
                pass
            if answer.status_code == 200:
                return True
        except (httpx.HTTPError, OSError):
            pass
        time.sleep(0.2)
    return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server: SIGTERM (a quick shutdown, about 2 s), SIGKILL after :data:`STOP_TIMEOUT`."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT)


def _log_tail(folder: Path, lines: int = 30) -> str:
    """The last lines of the server's error log and output."""
    text = ""
    for name in ("virtuoso.log", "stdout.log"):
        path = folder / name
        if path.exists():
            text += "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]) + "\n"
    return text
