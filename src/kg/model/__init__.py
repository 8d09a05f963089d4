"""Plan model: the goal tree of a plan document (:mod:`.plan`), the source document it was read from
(:mod:`.source`) and the IRIs its things are named by (:mod:`.iris`).

Every stage of the pipeline speaks these types, so this package imports no other package of kg but
:mod:`kg.settings`.
"""
