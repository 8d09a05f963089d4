"""Store stage: published builds and what describes them.

The embedded store and its builds on disk (:mod:`.local`), a remote SPARQL store (:mod:`.remote`), pushing a
build to a triplestore (:mod:`.push`), and the discovery documents written with each build: the DCAT-AP-NL
catalog (:mod:`.catalog`), VoID (:mod:`.void`), statistics (:mod:`.statistics`), all written by
:mod:`.discovery`. Imports only earlier stages.
"""
