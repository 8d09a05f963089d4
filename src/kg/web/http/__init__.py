"""HTTP mechanics shared by every route: content negotiation, representations (:mod:`.serialize`,
:mod:`.jsonld`, :mod:`.responses`), conditional requests, compression, input limits, errors, the access log,
the page cache and the mapping between request paths and IRIs. Imports no other part of the web layer but
:mod:`kg.web.vocab`.
"""
