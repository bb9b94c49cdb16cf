"""API: the REST root at ``/api/v1/`` with its OpenAPI schema. Each domain package
contributes read-only (or service-backed) endpoints through ``<package>/api.py``.
"""
