"""Store access of the web layer: every read of the store goes through here.

Descriptions, labels and lookups for pages (:mod:`.describe`); for the SPARQL endpoint, checking a query
(:mod:`.query_check`) and running it (:mod:`.evaluation`) in worker processes that can be stopped
(:mod:`.workers`, :mod:`.worker_process`) or, on a remote store, in bounded threads (:mod:`.remote_queries`).
"""
