"""Settings, read once from the environment (prefix ``KG_``) and command-line options."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Namespace of the kg ontology. It is fixed (not derived from the deployment's base IRI), so that
#: every publisher that reuses the model uses the same terms.
ONTOLOGY_NS = "https://kg.example.org/def/begroting#"

#: The repository's folders that the pipeline reads besides the sources.
PACKAGE_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_ROOT.parent.parent


class Settings(BaseSettings):
    """Deployment settings.

    Every field can be set by an environment variable ``KG_<FIELD>`` (e.g. ``KG_BASE_IRI``) or by the
    matching ``kg`` command-line option.

    Attributes:
        base_iri: the IRI prefix under which things are named (``{base}/id/...``) and described
            (``{base}/doc/...``), without a trailing slash. The server answers for these IRIs whatever host
            it runs on (design notes, section 2).
        data_dir: where builds are written and the published store is read from.
        seeds_dir: the source documents and their sidecar files (metadata, key registry, curation).
        ontology_dir: Turtle files of the ontology and concept schemes.
        vocab_dir: Turtle files of the reference data: organisations, regions, instruments (relative IRIs
            in them resolve against ``base_iri``).
        shapes_dir: Turtle files of the SHACL shapes.
        queries_dir: named example SPARQL queries (``*.rq``).
        host: interface the server binds to.
        port: TCP port the server binds to.
        query_timeout: seconds a SPARQL query may run; then its worker process is killed and the answer is
            ``503`` (see :mod:`kg.web.querying.workers`); with ``sparql_endpoint``, seconds allowed for the store's
            whole answer, then the transfer is closed (:mod:`kg.web.querying.remote_queries`).
        query_workers: worker processes that run SPARQL queries (queries running at once); with
            ``sparql_endpoint``, threads that send them to the store.
        max_concurrent_queries: queries running or waiting for a worker at most; one more is answered
            ``503`` with ``Retry-After``.
        max_result_rows: the most solutions (SELECT) or triples (CONSTRUCT, DESCRIBE) a query returns; a
            larger result is refused with ``422``.
        max_body_bytes: the largest request body read (``413`` beyond) and request target (``414``).
        query_memory_mb: address-space limit of a query worker in MiB (0: none); a query that needs more
            ends its worker and is answered ``500``. Below about 1024 the store's own threads may not start.
            Not used with ``sparql_endpoint`` (no workers).
        build_workers: processes that read, link, map and validate source documents at once in ``kg build``
            (:mod:`kg.build.document`); None (the default): one per CPU (``os.cpu_count()``); 1: in the build's
            own process, one document after the other.
        strict: refuse to publish a build while any document has an uncertain objective-or-result decision that
            nobody reviewed (``kg build --strict``, ``KG_STRICT=1``; :func:`kg.build.pipeline.run_build`).
        licence_iri: the licence of the data and the catalog (``dct:license`` in the DCAT catalog); default
            CC0 1.0, which DCAT-AP-NL 3.0 accepts (it requires a Creative Commons licence).
        publisher_iri: the publisher of the catalog, the whole dataset and the endpoint (a TOOI IRI for a
            Dutch government body); when unset, the one body that published every source document.
        publisher_name: the publisher's name (``foaf:name``), with ``publisher_iri``.
        contact_name: the name of the catalog's contact point (``vcard:fn``).
        contact_email: the contact point's e-mail address (``vcard:hasEmail``), if any.
        contact_url: the contact point's web page (``vcard:hasURL``); default the landing page ``{base}/``.
        sparql_endpoint: the SPARQL 1.1 Protocol query service of a triplestore holding the current build
            (pushed there by ``kg publish --to``), e.g. ``http://127.0.0.1:8890/sparql``; when set, ``kg serve``
            reads every triple from it (:mod:`kg.store.remote`) and the build folder only for its metadata, dumps
            and sources. None (the default): the build's embedded pyoxigraph store.
        sparql_endpoint_user: the user name for HTTP authentication at ``sparql_endpoint``, if it asks for one
            (use an account that may only read: queries of the public are sent with it).
        sparql_endpoint_password: that user's password (required with a user).
        sparql_endpoint_auth: ``digest`` (RFC 7616, as Virtuoso's ``/sparql-auth`` asks) or ``basic`` (RFC 7617).
        sparql_endpoint_timeout: seconds allowed for each answer of ``sparql_endpoint`` to a page, ``/graph``,
            ``/health`` or service-description query (a query sent to ``/sparql`` gets ``query_timeout``).
    """

    model_config = SettingsConfigDict(env_prefix="KG_")

    base_iri: str = "https://kg.example.org"
    data_dir: Path = Path("data")
    seeds_dir: Path = REPO_ROOT / "seeds"
    ontology_dir: Path = REPO_ROOT / "ontology"
    vocab_dir: Path = REPO_ROOT / "vocab"
    shapes_dir: Path = REPO_ROOT / "shapes"
    queries_dir: Path = REPO_ROOT / "queries"
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = Field(default=30.0, gt=0)
    query_workers: int = Field(default=4, ge=1)
    max_concurrent_queries: int = Field(default=32, ge=1)
    max_result_rows: int = Field(default=10_000, ge=1)
    max_body_bytes: int = Field(default=1_000_000, ge=1024)
    query_memory_mb: int = Field(default=2048, ge=0)
    build_workers: int | None = Field(default=None, ge=1)
    strict: bool = False
    licence_iri: str = "http://creativecommons.org/publicdomain/zero/1.0/"
    publisher_iri: str | None = None
    publisher_name: str | None = None
    contact_name: str = "Beheer van de kennisgraaf begrotingen"
    contact_email: str | None = None
    contact_url: str | None = None
    sparql_endpoint: str | None = None
    sparql_endpoint_user: str | None = None
    sparql_endpoint_password: SecretStr | None = None
    sparql_endpoint_auth: Literal["digest", "basic"] = "digest"
    sparql_endpoint_timeout: float = Field(default=10.0, gt=0)

    @field_validator("sparql_endpoint")
    @classmethod
    def _endpoint_is_http(cls, url: str | None) -> str | None:
        """An empty value means none; anything else must be an http(s) URL."""
        if not url:
            return None
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"sparql_endpoint must be an http(s) URL, not {url!r}")
        return url

    @model_validator(mode="after")
    def _user_has_password(self) -> Settings:
        """A user name for the endpoint needs a password."""
        if self.sparql_endpoint_user and self.sparql_endpoint_password is None:
            raise ValueError("sparql_endpoint_user needs sparql_endpoint_password (KG_SPARQL_ENDPOINT_PASSWORD)")
        return self

    @property
    def base(self) -> str:
        """The base IRI without a trailing slash."""
        return self.base_iri.rstrip("/")
