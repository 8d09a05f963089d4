"""Read stage: source documents on disk to the plan model.

The source files and their sidecars (:mod:`.files`), the reader engine (:mod:`.reader`) driven by a layout
profile (:mod:`.profile`, profiles in ``layouts/``), the objective-or-result rows of a flattened table
(:mod:`.rows`), indicator tables (:mod:`.indicators`), the authoring CSV (:mod:`.authoring`) and sources that
are RDF already (:mod:`.rdf_source`). Imports only :mod:`kg.model.plan`.
"""
