"""ivp — the workbench for municipal integral safety policy (Kernbeleid Veiligheid).

The domain packages (``accounts``, ``areas``, ``catalogue``, ``datasets``, ``analysis``,
``plans``, ``documents``) hold the logic; ``web``, ``api`` and ``cli`` are doors to it.
See ``docs/architecture.md`` for the direction of dependencies.
"""

__version__ = "0.1.0"
