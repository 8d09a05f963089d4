"""Validate stage: SHACL validation of every graph before it is published (:mod:`.shacl`).
"""
