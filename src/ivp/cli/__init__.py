"""The ``ivp`` command line: batch work (demo, import, analyse, export) with JSON output.

Calls the services of the domain packages; each package adds its sub-commands through
``<package>/cli.py``.
"""
