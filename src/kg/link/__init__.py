"""Link stage: what a plan names and how plans relate.

Entities mentioned in one plan (partners, places, instruments, themes: :mod:`.entities`); across plans, text
similarity (:mod:`.similarity`), continuations from year to year (:mod:`.years`), realisation of a budget in
its annual report or monitor (:mod:`.realisation`), proposed links between bodies (:mod:`.proposals`) and
their review file (:mod:`.review`), run together by :mod:`.crosslink`. Imports only earlier stages.
"""
