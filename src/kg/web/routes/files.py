"""Files served as they are: the dumps of the build and the source documents it read.

Only names from a fixed table (dumps) or plain file names found in the sources folder are served, so a
path cannot leave those folders.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from kg.store.local import DUMPS
from kg.web.http.conditional import build_validators
from kg.web.http.errors import NotFound
from kg.web.http.responses import file_response
from kg.web.services.source_files import source_file
from kg.web.site import SiteDep

router = APIRouter(tags=["files"])

#: Media type of source documents (plain text, as read by the build).
SOURCE_MEDIA_TYPE = "text/plain; charset=utf-8"


@router.api_route("/dumps/{name:path}", methods=["GET", "HEAD"])
def dump(request: Request, name: str, site: SiteDep) -> Response:
    """Serve a dump of the whole dataset (``kg.trig``, ``kg.nq``; see :data:`kg.store.local.DUMPS`) with its
    registered media type, the build's ``ETag`` and ``Last-Modified``, and ``304`` when current.

    Raises:
        NotFound: for a name that is not in the table or a file the build did not write.
    """
    if name not in DUMPS or not (site.publication.dumps_dir / name).is_file():
        raise NotFound(f"no dump {name!r}; dumps: {', '.join(DUMPS)}")
    path = site.publication.dumps_dir / name
    return file_response(request, path, DUMPS[name][1], build_validators(site.publication, name))


@router.api_route("/bronnen/{name:path}", methods=["GET", "HEAD"])
def source(request: Request, name: str, site: SiteDep) -> Response:
    """Serve a source document the build read, as ``text/plain; charset=utf-8`` (the target of the
    documents' ``dcat:downloadURL``).

    Raises:
        BadRequest: for a name that is not a plain file name.
        NotFound: for an unknown file.
    """
    path = source_file(site.publication.sources_dir, name)
    return file_response(request, path, SOURCE_MEDIA_TYPE, build_validators(site.publication, name))
