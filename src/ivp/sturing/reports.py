"""Placeholder replaced below."""


def register_documents() -> None:
    return None
