"""Map stage: the plan model and its links as RDF.

Nodes' keys from the key registry (:mod:`.keys`), a plan's named graph (:mod:`.mapping`), linksets
(:mod:`.linksets`) and the concept schemes published with the build (:mod:`.vocabularies`). Imports only
earlier stages.
"""
