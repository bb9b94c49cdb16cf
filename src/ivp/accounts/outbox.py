"""Read the messages that Django's file mail backend wrote (the demo's outbox).

The backend appends each message to a ``.log`` file in ``EMAIL_FILE_PATH``, followed by a
line of 79 dashes. This module only reads those files; it sends nothing.
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    date: datetime | None
    body: str


def read_outbox(folder: Path, limit: int = 50) -> list[Message]:
    """The newest ``limit`` messages in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    messages = []
    for path in folder.glob("*.log"):
        for raw in path.read_bytes().split(SEPARATOR):
            if raw.strip():
                messages.append(_parse(raw))
    messages.sort(key=lambda m: m.date.timestamp() if m.date else 0, reverse=True)
    return messages[:limit]


def _parse(raw: bytes) -> Message:
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    body_part = parsed.get_body(preferencelist=("plain", "html"))
    body = body_part.get_content() if body_part is not None else ""
    try:
        date = parsedate_to_datetime(parsed["Date"]) if parsed["Date"] else None
    except (TypeError, ValueError):
        date = None
    if date is not None and date.tzinfo is None:
        date = date.replace(tzinfo=UTC)  # Django writes "-0000": UTC
    return Message(
        to=str(parsed["To"] or ""), subject=str(parsed["Subject"] or ""), date=date, body=body
    )
