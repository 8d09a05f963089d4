"""The source documents a build read, as files: a safe lookup by name and the lines a node was read from."""

from __future__ import annotations

from pathlib import Path

from kg.web.http.errors import BadRequest, NotFound, WebError

#: Most source lines shown on one page.
MAX_SOURCE_LINES = 200


def source_file(sources_dir: Path, name: str) -> Path:
    """Return the path of source document ``name`` in ``sources_dir``.

    Raises:
        BadRequest: when ``name`` is not a plain file name (empty, with ``/`` or ``\\``, ``..``, or
            starting with a dot).
        NotFound: when there is no such file.
    """
    if not name or "/" in name or "\\" in name or ".." in name or name.startswith(".") or "\x00" in name:
        raise BadRequest(f"not a source file name: {name!r}")
    path = sources_dir / name
    try:
        found = path.is_file()
    except OSError:  # e.g. a name longer than the file system allows
        found = False
    if not found:
        raise NotFound(f"no source document {name!r}")
    return path


def source_lines(sources_dir: Path, name: str, begin: int, end: int) -> tuple[tuple[int, str], ...]:
    """Lines ``begin``..``end`` (1-based, inclusive, at most :data:`MAX_SOURCE_LINES`) of a source file;
    empty when the file is not there."""
    try:
        path = source_file(sources_dir, name)
    except WebError:
        return ()
    end = min(end, begin + MAX_SOURCE_LINES - 1)
    with path.open(encoding="utf-8", errors="replace") as handle:
        return tuple((n, line.rstrip("\r\n")) for n, line in enumerate(handle, 1) if begin <= n <= end)
