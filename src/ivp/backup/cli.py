"""``ivp backup FILE`` and ``ivp restore FILE`` (the whole installation; see
``ivp.backup``). Exit codes: 0 done, 1 refused, 2 unreadable file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def cmd_backup(args: argparse.Namespace) -> int:
    from ivp.backup.services import write_backup

    content, summary = write_backup()
    Path(args.file).write_bytes(content)
    print(f"ivp: back-up geschreven naar {args.file} ({len(content):,} bytes): {summary}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    import json

    from ivp.backup.services import RestoreError, restore_backup

    try:
        with open(args.file, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        print(f"ivp: kan {args.file} niet lezen: {error.strerror or error}", file=sys.stderr)
        return 2
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        print(f"ivp: {args.file} is geen leesbare JSON; er is niets opgeslagen", file=sys.stderr)
        return 2
    try:
        summary = restore_backup(data)
    except RestoreError as error:
        print(f"ivp: {error}", file=sys.stderr)
        return 1
    print(f"ivp: hersteld uit {args.file}: {summary}")
    return 0


def register(subparsers) -> None:
    backup = subparsers.add_parser(
        "backup", help="write users, plans and own data of this installation to a JSON file"
    )
    backup.add_argument("file")
    backup.set_defaults(handler=cmd_backup)
    restore = subparsers.add_parser(
        "restore", help="restore a backup into an empty installation (after migrate)"
    )
    restore.add_argument("file")
    restore.set_defaults(handler=cmd_restore)
