"""The ``kg`` command: ``kg build``, ``kg serve``, ``kg validate FILE...`` (typer)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from kg.build import BuildError, BuildResult, run_build
from kg.build_view import build_progress, summary_table
from kg.settings import Settings
from kg.sources import SourceError
from kg.validate import read_rdf_files, read_turtle_dir, validate_graph

app = typer.Typer(help="Publish Dutch government policy plans as validated linked data.", no_args_is_help=True)
console = Console(stderr=True, soft_wrap=True)

DataDir = Annotated[Path | None, typer.Option(help="Folder of builds [env KG_DATA_DIR; default ./data]")]
SeedsDir = Annotated[Path | None, typer.Option(help="Folder of source documents [env KG_SEEDS_DIR]")]
BaseIri = Annotated[str | None, typer.Option(help="Base IRI of the published things [env KG_BASE_IRI]")]


def _settings(**options: object) -> Settings:
    """Settings from the environment, overridden by the options that were given."""
    return Settings(**{name: value for name, value in options.items() if value is not None})  # type: ignore[arg-type]


def _build(settings: Settings) -> BuildResult:
    """Run the build, print its report, and exit with status 1 on a refused build."""
    try:
        with build_progress(console) as progress:
            result = run_build(settings, progress)
    except (BuildError, SourceError, ValueError) as err:
        console.print(f"[red]build failed:[/red] {escape(str(err))}", highlight=False)
        raise typer.Exit(1) from err
    for doc in result.report["documents"]:
        counts = ", ".join(f"{n} {level}" for level, n in doc["counts"].items())
        ledger = ", ".join(f"{n} {outcome}" for outcome, n in doc["ledger"].items())
        console.print(f"{doc['file']}: {counts}", highlight=False)
        console.print(f"  lines: {ledger}; {len(doc['uncertain'])} uncertain decision(s); "
                      f"{doc['triples']} triples in {doc['graph']}", highlight=False)
        links = ", ".join(f"{n} {kind}" for kind, n in doc["links"].items())
        console.print(f"  links: {links}; {len(doc['candidates'])} candidate name(s) not in the reference data: "
                      + "; ".join(doc["candidates"]), highlight=False, markup=False)
        for item in doc["skipped"]:
            console.print(f"  skipped {doc['file']}:{item['line']}: {item['reason']}", highlight=False, markup=False)
    for doc in result.report["documents"]:
        for item in doc["uncertain"]:
            mark = "curated" if item["curated"] else "rule"
            console.print(f"  uncertain {doc['file']}:{item['line']} -> {item['level']} ({mark}; {item['rule']})",
                          highlight=False, markup=False)
    console.print(summary_table(result))
    console.print(f"published {result.report['triples']} triples (with ontology, reference data and shapes) "
                  f"in {sum(stage.seconds for stage in result.stages):.2f} s -> {result.root}", highlight=False)
    return result


@app.command()
def build(data_dir: DataDir = None, seeds_dir: SeedsDir = None, base_iri: BaseIri = None) -> None:
    """Build the knowledge graph from the source documents and publish it (only if it validates)."""
    _build(_settings(data_dir=data_dir, seeds_dir=seeds_dir, base_iri=base_iri))


@app.command()
def serve(
    data_dir: DataDir = None,
    seeds_dir: SeedsDir = None,
    base_iri: BaseIri = None,
    host: Annotated[str | None, typer.Option(help="Interface to bind [env KG_HOST; default 127.0.0.1]")] = None,
    port: Annotated[int | None, typer.Option(help="Port [env KG_PORT; default 8000]")] = None,
) -> None:
    """Serve the published graph (building it first when nothing is published yet, or when the published
    build names its things under another base IRI than the one asked for)."""
    import uvicorn

    from kg.store import current_report, open_publication
    from kg.web.app import create_app
    from kg.web.server import log_config, server_options

    settings = _settings(data_dir=data_dir, seeds_dir=seeds_dir, base_iri=base_iri, host=host, port=port)
    report = current_report(settings.data_dir)
    if report is None or report.get("base_iri") != settings.base:
        _build(settings)
    application = create_app(settings, open_publication(settings.data_dir))
    console.print(f"serving {settings.base} on http://{settings.host}:{settings.port}/")
    options = server_options(settings)
    uvicorn.run(application, host=settings.host, port=settings.port, log_config=log_config(), **options)


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="RDF files (.ttl .trig .nt .nq .jsonld .rdf)")],
    shapes_dir: Annotated[Path | None, typer.Option(help="Folder of SHACL shapes (*.ttl)")] = None,
) -> None:
    """Validate RDF files against the kg SHACL shapes; exit status 1 when they do not conform."""
    settings = _settings(shapes_dir=shapes_dir)
    try:
        data = read_rdf_files(files)
    except ValueError as err:
        console.print(f"[red]error:[/red] {escape(str(err))}", highlight=False)
        raise typer.Exit(2) from err
    if not len(data):
        console.print(f"[red]error:[/red] no triples in {escape(', '.join(map(str, files)))}: nothing to validate")
        raise typer.Exit(2)
    report = validate_graph(data, read_turtle_dir(settings.shapes_dir), read_turtle_dir(settings.ontology_dir))
    for violation in report.violations:
        console.print(str(violation), highlight=False, markup=False)
    errors = sum(v.severity == "Violation" for v in report.violations)
    verdict = "conforms" if report.conforms else "does not conform"
    console.print(f"{len(data)} triples, {errors} violation(s): {verdict}")
    if not report.conforms:
        raise typer.Exit(1)
