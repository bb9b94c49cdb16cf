"""Pagination of the API: ``?limit=`` and ``?offset=``, with ``limit`` capped at
``IVP_API_MAX_LIMIT`` (a larger or absurd value is lowered, never an error or a 500)."""

from __future__ import annotations

from django.conf import settings
from rest_framework.pagination import LimitOffsetPagination


class CappedLimitOffsetPagination(LimitOffsetPagination):
    default_limit = 100

    @property
    def max_limit(self) -> int:  # type: ignore[override]
        return settings.IVP_API_MAX_LIMIT

    def get_limit(self, request) -> int | None:
        raw = request.query_params.get(self.limit_query_param, "")
        default = min(self.default_limit or self.max_limit, self.max_limit)
        # DRF turns the text into an int first; a 10,000-digit number is refused by Python
        # (and 2**63 overflows the database), so only short digit strings are read.
        if raw and (not raw.isdecimal() or len(raw) > 9):
            return self.max_limit if raw.isdecimal() else default
        limit = super().get_limit(request)
        return min(limit, self.max_limit) if limit else default

    def get_offset(self, request) -> int:
        raw = request.query_params.get(self.offset_query_param, "")
        if raw and (not raw.isdecimal() or len(raw) > 12):
            return 0
        return super().get_offset(request)
