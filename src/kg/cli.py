"""The ``kg`` command: ``kg build``, ``kg serve``, ``kg validate FILE...``, ``kg link``, ``kg review DOCUMENT``,
``kg layout try PROFILE PAGE`` (typer)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kg.build.pipeline import BuildError, BuildResult, run_build
from kg.build.view import build_progress, summary_table
from kg.link.review import Entry
from kg.model.source import SourceError
from kg.settings import Settings
from kg.validate.shacl import read_rdf_files, read_turtle_dir, validate_graph

app = typer.Typer(help="Publish Dutch government policy plans as validated linked data.", no_args_is_help=True)
console = Console(stderr=True, soft_wrap=True)

DataDir = Annotated[Path | None, typer.Option(help="Folder of builds [env KG_DATA_DIR; default ./data]")]
SeedsDir = Annotated[Path | None, typer.Option(help="Folder of source documents [env KG_SEEDS_DIR]")]
BaseIri = Annotated[str | None, typer.Option(help="Base IRI of the published things [env KG_BASE_IRI]")]


def _settings(**options: object) -> Settings:
    """Settings from the environment, overridden by the options that were given."""
    return Settings(**{name: value for name, value in options.items() if value is not None})  # type: ignore[arg-type]


def _build(settings: Settings, full: bool = False) -> BuildResult:
    """Run the build (``full``: ignoring the build cache), print its report, and exit with status 1 on a refused
    build (``settings.strict``: also when a document has an unreviewed uncertain decision). Each unreviewed
    decision is printed as ``<file>:<line>``."""
    try:
        with build_progress(console) as progress:
            result = run_build(settings, progress, full=full)
    except (BuildError, SourceError, ValueError) as err:
        console.print(f"[red]build failed:[/red] {escape(str(err))}", highlight=False)
        raise typer.Exit(1) from err
    for doc in result.report["documents"]:
        counts = ", ".join(f"{n} {level}" for level, n in doc["counts"].items())
        ledger = ", ".join(f"{n} {outcome}" for outcome, n in doc["ledger"].items())
        console.print(f"{doc['file']} ({doc['cache']}): {counts}", highlight=False)
        console.print(f"  lines: {ledger}; {len(doc['uncertain'])} uncertain decision(s), "
                      f"{len(doc['unreviewed'])} unreviewed decision(s); {doc['triples']} triples in {doc['graph']}",
                      highlight=False)
        links = ", ".join(f"{n} {kind}" for kind, n in doc["links"].items())
        console.print(f"  links: {links}; {len(doc['candidates'])} candidate name(s) not in the reference data: "
                      + "; ".join(doc["candidates"]), highlight=False, markup=False)
        for item in doc["skipped"]:
            console.print(f"  skipped {doc['file']}:{item['line']}: {item['reason']}", highlight=False, markup=False)
    for doc in result.report["documents"]:
        for item in doc["uncertain"]:
            if item["reviewed"]:
                mark = "overridden" if item["curated"] else "confirmed"
                console.print(f"  uncertain {doc['file']}:{item['line']} -> {item['level']} ({mark}; {item['rule']})",
                              highlight=False, markup=False)
        for item in doc["unreviewed"]:
            console.print(f"  unreviewed {doc['file']}:{item['line']} -> {item['level']} ({item['rule']}; doubt: "
                          f"{item['doubt']})", highlight=False, markup=False)
    for linkset in result.report["linksets"]:
        for warning in linkset.get("warnings", []):
            console.print(f"  warning: {warning}", highlight=False, markup=False)
    console.print(summary_table(result))
    unreviewed = [doc for doc in result.report["documents"] if doc["unreviewed"]]
    if unreviewed:
        console.print(f"[yellow]warning:[/yellow] {sum(len(doc['unreviewed']) for doc in unreviewed)} unreviewed "
                      f"decision(s) in {len(unreviewed)} document(s) published as read, each marked not reviewed "
                      "(pb:beoordelingsstatus) on its node's page; review them with `kg review DOCUMENT`, or refuse "
                      "such builds with `kg build --strict`", highlight=False)
    console.print(f"published {result.report['triples']} triples (with ontology, reference data and shapes) "
                  f"in {sum(stage.seconds for stage in result.stages):.2f} s -> {result.root}", highlight=False)
    return result


@app.command()
def build(
    data_dir: DataDir = None,
    seeds_dir: SeedsDir = None,
    base_iri: BaseIri = None,
    full: Annotated[bool, typer.Option(
        "--full", help="Rebuild every document, ignoring the build cache (data/cache)")] = False,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Processes that build documents at once [env KG_BUILD_WORKERS; default one per CPU]")] = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Refuse to publish (status 1, naming each file:line) while a document has an uncertain "
                         "objective-or-result decision nobody reviewed [env KG_STRICT]")] = False,
) -> None:
    """Build the knowledge graph from the source documents and publish it (only if it validates; with --strict,
    only if every uncertain reading decision was reviewed). Documents whose inputs did not change since the last
    build are taken from the build cache, not read again."""
    _build(_settings(data_dir=data_dir, seeds_dir=seeds_dir, base_iri=base_iri, build_workers=workers,
                     strict=strict or None), full=full)


@app.command()
def serve(
    data_dir: DataDir = None,
    seeds_dir: SeedsDir = None,
    base_iri: BaseIri = None,
    host: Annotated[str | None, typer.Option(help="Interface to bind [env KG_HOST; default 127.0.0.1]")] = None,
    port: Annotated[int | None, typer.Option(help="Port [env KG_PORT; default 8000]")] = None,
    sparql_endpoint: Annotated[str | None, typer.Option(
        help="Read the triples from this SPARQL endpoint (the build pushed there by kg publish) instead of the "
             "embedded store; credentials from KG_SPARQL_ENDPOINT_USER/_PASSWORD [env KG_SPARQL_ENDPOINT]")] = None,
    workers: Annotated[int, typer.Option(
        min=1, envvar="KG_WORKERS",
        help="Server processes on the one port, each with its own query workers and page cache "
             "[env KG_WORKERS; default 1]")] = 1,
) -> None:
    """Serve the published graph (building it first when nothing is published yet, or when the published
    build names its things under another base IRI than the one asked for). With a SPARQL endpoint, serve the
    current build from that store: it is not built here (build it, then publish it there)."""
    import uvicorn

    from kg.store.local import current_report, open_publication
    from kg.store.remote import RemoteError
    from kg.web.app import create_app
    from kg.web.server import listening_socket, log_config, run_workers, server_options
    from kg.web.site import remote_differences

    settings = _settings(data_dir=data_dir, seeds_dir=seeds_dir, base_iri=base_iri, host=host, port=port,
                         sparql_endpoint=sparql_endpoint)
    report = current_report(settings.data_dir)
    if report is None or report.get("base_iri") != settings.base:
        if settings.sparql_endpoint:
            console.print(f"[red]cannot serve:[/red] no build of {escape(settings.base)} in {settings.data_dir}: "
                          "run `kg build`, publish it to the store of the SPARQL endpoint with "
                          "`kg publish --to <graph store URL>`, then `kg serve` again", highlight=False)
            raise typer.Exit(1)
        _build(settings)
    try:
        application = create_app(settings, open_publication(settings.data_dir))
    except RemoteError as err:
        console.print(f"[red]cannot serve:[/red] {escape(str(err))}", highlight=False)
        raise typer.Exit(1) from err
    if settings.sparql_endpoint:
        for difference in remote_differences(application.state.sites.current()):
            console.print(f"[yellow]warning:[/yellow] {escape(difference)}", highlight=False)
        console.print(f"reading the triples from {settings.sparql_endpoint}", highlight=False)
    if workers > 1:
        try:
            sock = listening_socket(settings.host, settings.port)
        except OSError as err:
            console.print(f"[red]cannot serve on {settings.host}:{settings.port}:[/red] {escape(str(err))}",
                          highlight=False)
            raise typer.Exit(1) from err
        console.print(f"serving {settings.base} on http://{settings.host}:{settings.port}/ with {workers} "
                      "server processes")
        run_workers(settings, workers, sock)
        return
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
    report = validate_graph(data, read_turtle_dir(settings.shapes_dir))
    for violation in report.violations:
        console.print(str(violation), highlight=False, markup=False)
    errors = sum(v.severity == "Violation" for v in report.violations)
    verdict = "conforms" if report.conforms else "does not conform"
    console.print(f"{len(data)} triples, {errors} violation(s): {verdict}")
    if not report.conforms:
        raise typer.Exit(1)


@app.command()
def link(seeds_dir: SeedsDir = None, base_iri: BaseIri = None) -> None:
    """Propose links between plans of different bodies and write them to the review file
    (<seeds>/link-review.yaml), keeping its decisions and notes; exit status 1 when a source or the file is bad."""
    from kg.build.pipeline import build_document, load_context
    from kg.link.proposals import review_entries
    from kg.link.review import REVIEW_FILE, load_review, write_review
    from kg.read.files import discover

    settings = _settings(seeds_dir=seeds_dir, base_iri=base_iri)
    path = settings.seeds_dir / REVIEW_FILE
    try:
        review = load_review(path)
        context, _ = load_context(settings)
        plans = [build_document(source, context).plan for source in discover(settings.seeds_dir)]
        entries = review_entries(plans, context.reference.graph, review, settings.base)
    except (BuildError, SourceError, ValueError) as err:
        console.print(f"[red]link failed:[/red] {escape(str(err))}", highlight=False)
        raise typer.Exit(1) from err
    console.print(_review_table(entries))
    write_review(path, entries)
    decisions = Counter(entry.decision.value for entry in entries)
    stale = sum(1 for entry in entries if entry.stale)
    console.print(f"{len(entries)} proposal(s) between {len(plans)} plan(s): "
                  + ", ".join(f"{decisions[d]} {d}" for d in ("open", "accepted", "rejected"))
                  + f", {stale} stale -> {path}", highlight=False)


def _review_table(entries: list[Entry]) -> Table:
    """The proposals of the review file as a table: decision (and why stale), score, both ends, evidence."""
    table = Table(title="proposed links between bodies", title_justify="left")
    for column in ("decision", "score", "subject", "object", "evidence"):
        table.add_column(column, justify="right" if column == "score" else "left")
    for entry in entries:
        decision = entry.decision.value + (f"\n[yellow]stale: {escape(entry.stale)}[/yellow]" if entry.stale else "")
        ends = [escape(f"{end.label}\n({end.plan}; {end.source})") for end in (entry.subject, entry.object)]
        evidence = "\n".join(escape(f"{item.get('label')}: {item.get('why')}") for item in entry.evidence)
        score = "" if entry.score is None else f"{entry.score:.3f}"
        table.add_row(decision, score, *ends, evidence)
    return table


@app.command()
def review(
    document: Annotated[Path, typer.Argument(help="The document's text file (<name>.txt, <name>.meta.yaml beside it)")],
    every: Annotated[bool, typer.Option(
        "--all", help="Ask about every decision, not only the unreviewed uncertain ones")] = False,
) -> None:
    """Review the reader's objective-or-result decisions of a document: show its tables as read, ask about each
    unreviewed uncertain row (c confirm, f flip, s skip, q save and quit) and write the curation file beside it;
    exit status 1 when the document cannot be read or has no table to review."""
    from kg.read.review_tool import ReviewError, review_document

    try:
        review_document(document, every=every)
    except ReviewError as err:
        console.print(f"[red]review failed:[/red] {escape(str(err))}", highlight=False)
        raise typer.Exit(1) from err


layout_app = typer.Typer(help="Write layout profiles: try one on a page.", no_args_is_help=True)
app.add_typer(layout_app, name="layout")


@layout_app.command("try")
def layout_try(
    profile: Annotated[str, typer.Argument(help="The profile: its .yaml file, or the name of a shipped layout")],
    page: Annotated[Path, typer.Argument(help="The page's text file (a .meta.yaml beside it is used if there is one)")],
    year: Annotated[int | None, typer.Option(
        help="The plan's year [default: the page's metadata, the 'year:' of its '# kind:' header line, or 2000]",
    )] = None,
    cut_off: Annotated[bool | None, typer.Option(
        "--cut-off/--complete", help="The page is an excerpt cut off mid-text: its last line is a fragment "
                                     "[default: the page's metadata, else complete]")] = None,
) -> None:
    """Run a layout profile on a page without a build and show every line's fate: the state it was read in,
    the rule that took it (highlighted: no rule did, its state's entry handled it), what it became and the node it
    hangs under. Exit status 1 when the profile cannot be loaded (naming its file and line) or the page does not
    fit it (the failing line in red, with the reason)."""
    from kg.read.trial import render, try_profile

    out = Console(soft_wrap=False)
    try:
        trial = try_profile(profile, page, year=year, cut_off=cut_off)
    except SourceError as err:
        console.print(f"[red]profile or page unusable:[/red] {escape(str(err))}", highlight=False)
        raise typer.Exit(1) from err
    out.print(render(trial))
    if trial.error is not None:
        raise typer.Exit(1)


@app.command()
def publish(
    to: Annotated[str, typer.Option(help="Graph Store Protocol URL, e.g. http://host:8890/sparql-graph-crud-auth")],
    data_dir: DataDir = None,
    user: Annotated[str | None, typer.Option(envvar="KG_PUBLISH_USER", help="User name for HTTP auth")] = None,
    password: Annotated[str | None, typer.Option(envvar="KG_PUBLISH_PASSWORD", help="Password")] = None,
    auth: Annotated[str, typer.Option(help="HTTP authentication: digest or basic")] = "digest",
    chunk_triples: Annotated[int, typer.Option(min=1, help="Most triples per request")] = 25_000,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds to wait for each answer")] = 300.0,
) -> None:
    """Push every named graph of the published build to a triplestore (SPARQL 1.1 Graph Store HTTP Protocol:
    PUT ?graph=IRI replaces each graph, so publishing twice is the same as once); exit status 1 on failure."""
    from kg.store.local import NoPublicationError
    from kg.store.push import PublishError, http_auth, publish_current, publish_progress, summary_lines

    if auth not in ("digest", "basic"):
        console.print(f"[red]publish failed:[/red] --auth must be digest or basic, not {escape(auth)}")
        raise typer.Exit(2)
    settings = _settings(data_dir=data_dir)
    try:
        with publish_progress(console) as progress:
            credentials = http_auth(user, password, "basic" if auth == "basic" else "digest")
            result = publish_current(settings.data_dir, to, credentials, chunk_triples=chunk_triples,
                                     timeout=timeout, listener=progress)
    except (PublishError, NoPublicationError, OSError) as err:
        console.print(f"[red]publish failed:[/red] {escape(str(err))}", highlight=False)
        raise typer.Exit(1) from err
    for line in summary_lines(result):
        console.print(line, highlight=False, markup=False)
