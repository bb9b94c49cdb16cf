"""Areas: the regions ivp knows — gemeente, wijk, buurt and the larger units a gemeente
belongs to (veiligheidsregio, politie-eenheid, basisteam) and comparison groups.

Owns region models and their loaders. Imports nothing else of ivp.
"""
