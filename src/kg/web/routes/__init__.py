"""Routes of the web layer: HTTP in and out, nothing computed here.

Linked-data resources (:mod:`.resources`), the SPARQL endpoint (:mod:`.sparql`) and its query page
(:mod:`.query_ui`), discovery documents (:mod:`.discovery`), files (:mod:`.files`) and health
(:mod:`.health`). Each route calls a service (:mod:`kg.web.services`) or the query workers
(:mod:`kg.web.querying`).
"""
