"""Start Debian's Chromium for the browser tests (Playwright cannot download its own)."""

from __future__ import annotations

import os
import shutil

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    return (
        os.environ.get("IVP_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
