"""Services of the web layer: what a page shows, computed from the store (templates only lay out).

The building blocks of a view model (:mod:`.view`), the HTML pages (:mod:`.pages`) with a node's history
(:mod:`.history`) and an entity's mentions (:mod:`.mentions`), the source lines a node was read from
(:mod:`.source_files`) and the SPARQL service description (:mod:`.service_description`). Store reads go through
:mod:`kg.web.querying`; routes (:mod:`kg.web.routes`) call these.
"""
