"""Log in to a running ivp and save full-page screenshots of the given paths.

Usage: .venv/bin/python bin/screenshot.py [--base URL] [--user demo] OUT_DIR PATH [PATH …]
Used to look at pages after a change (Debian's Chromium, headless)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from playwright.sync_api import sync_playwright  # noqa: E402

from ivp.web.browser import CHROMIUM_ARGS, chromium_path  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="demo")
    parser.add_argument("--password", default="ivp-demo-2027")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("out")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": 900})
        page.goto(f"{args.base}/account/inloggen/")
        page.screenshot(path=str(out / "login.png"), full_page=True)
        page.get_by_label("Gebruikersnaam").fill(args.user)
        page.get_by_label("Wachtwoord").fill(args.password)
        page.get_by_role("button", name="Inloggen").click()
        for path in args.paths:
            page.goto(f"{args.base}{path}")
            name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            print(out / f"{name}.png")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
