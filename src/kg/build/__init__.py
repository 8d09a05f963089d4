"""The pipeline: every stage run in order over the source documents.

One document read, linked, mapped and validated (:mod:`.document`), in worker processes (:mod:`.workers`),
with a per-document cache (:mod:`.cache`) and timings (:mod:`.progress`); cross-document links validated
(:mod:`.linkcheck`); the whole build and its publication (:mod:`.pipeline`) and its report in the terminal
(:mod:`.view`). The web layer never imports this package.
"""
