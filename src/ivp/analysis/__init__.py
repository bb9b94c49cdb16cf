"""Analysis: the veiligheidsbeeld — rates, change, trend, significance, benchmarks and
priority candidates, computed by pure functions on plain values.

May import ``areas``, ``catalogue`` and ``datasets``.
"""
