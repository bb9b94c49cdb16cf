"""Web: the shell of the pages — base layout, stylesheet, shared form snippets, error pages
and the pattern page. Holds no domain logic; each domain package has its own views.
"""
