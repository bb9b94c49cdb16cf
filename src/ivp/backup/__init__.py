"""The backup of a whole installation: ``ivp backup FILE`` and ``ivp restore FILE``.

Owns no models. Writes every user, plan (with all its content, versions, comments, history
and roles) and every gemeente's own data (datasets, series, figures, import runs, plans'
own mappings) as Django serialisation in one JSON file (format ``ivp-backup/1``);
gemeenten and official figures are referred to, not copied, because ``ivp data
load-bundled`` brings them back. May import every domain package's models; nothing imports
it but the command line.
"""
