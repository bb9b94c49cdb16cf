"""Pagination of every list: ``?limit=`` (at most ``MAX_LIMIT``) and ``?offset=``."""

from rest_framework.pagination import LimitOffsetPagination


class Paginering(LimitOffsetPagination):
    default_limit = 100
    max_limit = 500
