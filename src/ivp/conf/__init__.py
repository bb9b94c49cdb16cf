"""Django settings of ivp: ``base`` holds every setting with a safe default; ``dev``, ``test``
and ``production`` only override. Settings come from the environment through
:func:`ivp.conf.env.config`, which documents each variable (see ``docs/configuration.md``).
"""
