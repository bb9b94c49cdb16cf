"""Datasets: imported and bundled figures with their provenance — datasets, series,
observations, import runs, the CBS sources, and the mapping of offence categories to themes.

May import ``areas`` and ``catalogue``.
"""
