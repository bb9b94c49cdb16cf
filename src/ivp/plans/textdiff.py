"""A word-level difference between two texts, for the history page. Plain Python.

:func:`word_diff` returns runs of ``("equal" | "delete" | "insert", text)``; whitespace is
kept with the words, so joining the ``equal`` and ``insert`` runs gives the new text and
joining ``equal`` and ``delete`` gives the old one. :func:`shorten` replaces the middle of
long unchanged runs by an ellipsis so that a small edit in a long text stays readable.
"""

from __future__ import annotations

import difflib
import re

_TOKEN = re.compile(r"\s+|[^\s]+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    a, b = _tokens(old), _tokens(new)
    runs: list[tuple[str, str]] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if runs and runs[-1][0] == op:
            runs[-1] = (op, runs[-1][1] + text)
        else:
            runs.append((op, text))

    # Changes separated only by whitespace are shown as one change ("elk kwartaal" →
    # "elke maand"), not as a patchwork of single words.
    deleted, inserted = "", ""
    opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            text = "".join(a[i1:i2])
            between_changes = 0 < index < len(opcodes) - 1 and (deleted or inserted)
            if text.isspace() and between_changes:
                deleted += text
                inserted += text
                continue
            add("delete", deleted)
            add("insert", inserted)
            deleted, inserted = "", ""
            add("equal", text)
        else:
            if tag in ("delete", "replace"):
                deleted += "".join(a[i1:i2])
            if tag in ("insert", "replace"):
                inserted += "".join(b[j1:j2])
    add("delete", deleted)
    add("insert", inserted)
    return runs


def shorten(runs: list[tuple[str, str]], context: int = 8) -> list[tuple[str, str]]:
    """Keep ``context`` words around each change; longer unchanged stretches become "…"."""
    result = []
    for index, (op, text) in enumerate(runs):
        if op != "equal":
            result.append((op, text))
            continue
        words = _tokens(text)
        count = sum(1 for w in words if not w.isspace())
        if count <= 2 * context + 2:
            result.append((op, text))
            continue
        head = "".join(_take(words, context)) if index > 0 else ""
        tail = "".join(_take(list(reversed(words)), context)[::-1]) if index < len(runs) - 1 else ""
        if index == 0:
            text = "… " + tail.lstrip()
        elif index == len(runs) - 1:
            text = head.rstrip() + " …"
        else:
            text = head.rstrip() + " … " + tail.lstrip()
        result.append(("equal", text))
    return result


def _take(tokens: list[str], words: int) -> list[str]:
    taken, seen = [], 0
    for token in tokens:
        if not token.isspace():
            if seen == words:
                break
            seen += 1
        taken.append(token)
    return taken
