"""Settings, read once from the environment (prefix ``KG_``) and command-line options."""

from __future__ import annotations

from pathlib import Path

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

    @property
    def base(self) -> str:
        """The base IRI without a trailing slash."""
        return self.base_iri.rstrip("/")
