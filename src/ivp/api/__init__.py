"""API: the REST root at ``/api/v1/`` with its OpenAPI document, following the Dutch API
design rules (ADR 0016): an ``API-Version`` header on every response, errors as
``application/problem+json`` in Dutch, pagination with a maximum, and personal API keys
(``ApiToken``) that act with their user's own rights. Each domain package contributes
read-only (or service-backed) endpoints through ``<package>/api.py``.

Owns ``ApiToken``, the API root page, the pages where a user manages their API keys, the
token authentication and the problem responses. May import the domain packages (their
``api.py``) and ``accounts``.
"""
