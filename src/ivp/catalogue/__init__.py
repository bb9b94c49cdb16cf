"""Catalogue: the shipped reference content of the method — veiligheidsvelden, thema's,
aspects of approach, cross-cutting strategic themes, and the measures and indicators a plan
can pick from them.

Owns the content files, their schema and the catalogue pages. Imports nothing else of ivp.
"""
