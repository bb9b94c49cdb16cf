"""WCAG 2.1 AA on ivp's own pages, in a real browser, on the demo plan (issue 16, item 8).

The page walk is generic: it follows the links of the demo coordinator (and a few of the
reader) from the start page and the plan page, one page per URL shape (``/plannen/N/…/M/``),
so a page added later is checked as soon as a link leads to it. On every page:

- axe-core (``axe-playwright-python``, which ships axe-core under the MPL 2.0) finds no
  violations, and every "needs review" (incomplete) result is one of the justified ones in
  ``JUSTIFIED`` below;
- every ``aria-describedby``/``aria-labelledby``/``for``/``aria-controls`` points at an element
  that exists, and no id is used twice;
- at 320 px wide the page itself does not scroll sideways (WCAG 1.4.10: wide tables scroll in
  their own wrapper).

Keyboard walks check where focus lands after each htmx swap, the error summary pattern of the
NL Design System, the focus ring's contrast and the charts' text alternative.

The browser walk runs once, on SQLite: the pages are the same on PostgreSQL, and the suite
runs twice (``bin/run-tests``).
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.conf import settings
from playwright.sync_api import expect

from ivp.demo.loader import DEMO_PASSWORD, DEMO_PLAN_TITEL

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "sqlite" not in settings.DATABASES["default"]["ENGINE"],
        reason="the browser walk runs once, on the SQLite run of the suite",
    ),
]

# Links that are not pages of ivp: downloads, documents, logging out, other applications.
NOT_A_PAGE = re.compile(
    r"/(uitloggen|oidc|beheer|documenten|excel)/|/api/v1/.+|\.(docx|pdf|xlsx|pptx|odt|csv|zip)$"
)
MAX_PAGES = 70

# "Needs review" results of axe that a person checked and that stay: rule id → (why it is
# fine, the axe messages it covers). Anything else that axe cannot decide fails the test.
JUSTIFIED = {
    "color-contrast": (
        "Text over which axe cannot compute a background: table cells partly scrolled out of "
        "their scroll wrapper, the text of the inline SVG charts (dark grey #1a1a1a on white, "
        "drawn by matplotlib), one-character cells ('—', arrows marked aria-hidden). The "
        "colours used there are the page's text colours, checked everywhere else.",
        (
            "partially obscured",
            "partially overlaps",
            "contains an image node",
            "only non-text characters",
            "too short to determine",
            "pseudo element",
        ),
    ),
    "th-has-data-cells": (
        "The row-group headers of the uitvoeringsplan tables (an 'Onderdeel' spanning the "
        "whole row, scope=rowgroup) head the rows below them, not cells of their own row.",
        ("Table data cells are missing or empty",),
    ),
}

REFERENCES_JS = """() => {
  const bad = [];
  for (const attr of ['aria-describedby', 'aria-labelledby', 'for', 'aria-controls']) {
    for (const el of document.querySelectorAll('[' + attr + ']')) {
      for (const id of (el.getAttribute(attr) || '').split(/\\s+/)) {
        if (id && !document.getElementById(id)) bad.push(attr + '=' + id);
      }
    }
  }
  const seen = {};
  for (const el of document.querySelectorAll('[id]')) seen[el.id] = (seen[el.id] || 0) + 1;
  for (const id in seen) if (seen[id] > 1) bad.push('duplicate id ' + id);
  return bad;
}"""


@pytest.fixture
def demo(transactional_db):
    """The demo with its content (the live server needs committed data, and pytest-django
    empties the database after each test that uses it: two tests share the loading)."""
    from ivp.demo.loader import load_demo

    return load_demo()


def login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Mijn plannen").first.wait_for()


def shape(path: str) -> str:
    """The URL's shape: every path segment with a digit in it replaced by '*'."""
    return "/".join("*" if re.search(r"\d", part) else part for part in path.split("/"))


def walk(page, live_server, start: list[str], limit: int = MAX_PAGES) -> list[str]:
    """The ivp pages reachable from ``start``, one per URL shape, breadth first."""
    base = live_server.url
    queue = [base + path for path in start]
    shapes: set[str] = set()
    pages: list[str] = []
    while queue and len(pages) < limit:
        url = queue.pop(0)
        parsed = urlparse(url)
        key = shape(parsed.path) + ("?" if parsed.query else "")
        if key in shapes or NOT_A_PAGE.search(parsed.path):
            continue
        shapes.add(key)
        try:
            response = page.goto(url)
        except Exception:  # noqa: BLE001, S112 - a download starts: not a page
            continue
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        pages.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = href.split("#")[0]
            if href.startswith(base) and href not in queue:
                queue.append(href)
    return pages


def unresolved(results: dict) -> list[str]:
    problems = [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['help']}"
        for v in results["violations"]
    ]
    for item in results["incomplete"]:
        reason, covered = JUSTIFIED.get(item["id"], ("", ()))
        for node in item["nodes"]:
            messages = [c["message"] for c in node["any"] + node["all"] + node["none"]]
            if not messages or not all(any(k in m for k in covered) for m in messages):
                problems.append(f"needs review: {item['id']} {node['target']} {messages}")
    return problems


def check_pages(page, live_server, paths: list[str], *, width: int) -> dict[str, list[str]]:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page.set_viewport_size({"width": width, "height": 900})
    found: dict[str, list[str]] = {}
    for path in paths:
        page.goto(live_server.url + path)
        problems = list(page.evaluate(REFERENCES_JS))
        options: dict = {"resultTypes": ["violations", "incomplete"]}
        if width < 600:
            # contrast is measured at desktop width, where no table is cut off by its wrapper
            options["rules"] = {"color-contrast": {"enabled": False}}
        problems += unresolved(axe.run(page, options=options).response)
        if width <= 320:
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                problems.append(f"scrolls sideways by {overflow}px at {width}px")
        if problems:
            found[path] = problems
    return found


def test_every_page_of_the_demo_plan_passes_axe_and_reflows_at_320px(
    demo, live_server, browser_page
):
    """The coordinator's pages at 1280 and 320 px, then a reader's."""
    page = browser_page
    login(page, live_server, "demo")
    plan_url = f"/plannen/{demo.plan.pk}/"
    paths = walk(page, live_server, ["/", plan_url])
    # the walk reaches every step of the plan and the shared pages
    for expected in ("analyse/", "prioritering/", "ivp/", "uitvoering/", "planning/"):
        assert plan_url + expected in paths, (expected, paths)
    assert "/catalogus/" in paths and "/data/" in paths and "/account/" in paths
    assert len(paths) >= 30, paths

    assert check_pages(page, live_server, paths, width=1280) == {}
    assert check_pages(page, live_server, paths, width=320) == {}

    page.context.clear_cookies()
    login(page, live_server, "demo-lezer")
    paths = walk(page, live_server, [plan_url], limit=12)
    assert len(paths) >= 6, paths
    assert check_pages(page, live_server, paths, width=1280) == {}
    assert check_pages(page, live_server, paths[:6], width=320) == {}


def _focus_in(page, selector: str) -> None:
    """Wait until focus is inside ``selector`` (htmx settles after the response)."""
    page.wait_for_function(
        "sel => document.activeElement && document.activeElement !== document.body"
        " && document.activeElement.closest(sel)",
        arg=selector,
    )


def _focused(page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement; return {
             tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
             text: (el.innerText || el.value || '').trim().slice(0, 120),
             row: el.closest('tr') ? el.closest('tr').id : null,
             step: el.closest('.ivp-step') ? el.closest('.ivp-step').id : null }; }"""
    )


def focus_after_htmx_swaps_in_the_uitvoeringsplan(demo, live_server, page):
    from ivp.uitvoering.models import Onderdeel

    item = next(
        o
        for o in Onderdeel.objects.filter(uitvoeringsplan__plan=demo.plan)
        if o.maatregelen.count() >= 2
    )
    measure = list(item.maatregelen.all())[1]  # it has one above it: it can move up
    year = measure.onderdeel.uitvoeringsplan.jaar
    page.goto(f"{live_server.url}/plannen/{demo.plan.pk}/uitvoering/{year}/")
    row = page.locator(f"#maatregel-{measure.pk}")

    # open the edit form by keyboard: focus lands on its first field, the form is next by Tab
    row.get_by_role("link", name="Bewerken").focus()
    page.keyboard.press("Enter")
    page.locator(f"#maatregel-{measure.pk}.ivp-uv-editrow").wait_for()
    _focus_in(page, f"#maatregel-{measure.pk}")
    focused = _focused(page)
    assert focused["row"] == f"maatregel-{measure.pk}" and focused["tag"] in (
        "input",
        "select",
        "textarea",
    ), focused
    page.keyboard.press("Tab")
    assert _focused(page)["row"] == f"maatregel-{measure.pk}"

    # save by keyboard: focus lands on the saved row's heading (its title cell)
    page.locator(f"#maatregel-{measure.pk}").get_by_role("button", name="Opslaan").focus()
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Enter")
    page.locator(f"#maatregel-{measure.pk} .ivp-uv-saved").wait_for()
    _focus_in(page, f"#maatregel-{measure.pk}")
    focused = _focused(page)
    assert focused["tag"] == "th" and focused["row"] == f"maatregel-{measure.pk}", focused
    assert measure.titel in focused["text"]

    # move the row up by keyboard: focus stays on the same button of the moved row
    button = page.locator(f"#maatregel-{measure.pk} button[name=richting][value='-1']")
    button.focus()
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Enter")
    _focus_in(page, f"#maatregel-{measure.pk}")
    focused = _focused(page)
    assert focused["tag"] in ("button", "th"), focused
    measure.refresh_from_db()

    # cancel an opened form: focus goes back to the row
    page.locator(f"#maatregel-{measure.pk}").get_by_role("link", name="Bewerken").focus()
    page.keyboard.press("Enter")
    page.locator(f"#maatregel-{measure.pk}.ivp-uv-editrow").wait_for()
    page.locator(f"#maatregel-{measure.pk}").get_by_role("link", name="Annuleren").focus()
    page.keyboard.press("Enter")
    page.locator(f"#maatregel-{measure.pk}.ivp-uv-row").wait_for()
    _focus_in(page, f"#maatregel-{measure.pk}")
    assert _focused(page)["row"] == f"maatregel-{measure.pk}"


def focus_after_a_step_status_change_and_an_analysis_text(demo, live_server, page):
    page.goto(f"{live_server.url}/plannen/{demo.plan.pk}/")
    step = page.locator(".ivp-step").nth(1)
    step_id = step.get_attribute("id")
    step.locator("form button").first.focus()
    page.keyboard.press("Enter")
    # focus starts inside the step (on the button): wait for the swap to move it to the
    # step's heading, not merely for focus inside the step
    page.wait_for_function(
        "sel => document.activeElement && document.activeElement.matches(sel)",
        arg=f"#{step_id} h3",
    )
    focused = _focused(page)
    assert focused["step"] == step_id and focused["tag"] == "h3", focused

    # finishing an incomplete step: the question gets focus, its first button is next by Tab
    from ivp.plans.models import Plan

    Plan.objects.filter(pk=demo.plan.pk).update(toelichting="")
    page.reload()
    page.locator("#stap-1").get_by_role("button", name="Heropenen").focus()
    page.keyboard.press("Enter")
    # the swapped-in form is live once htmx has settled it, which is when focus moves to the
    # step's heading; a key pressed before that would submit the form without htmx
    page.wait_for_function(
        "sel => document.activeElement && document.activeElement.matches(sel)",
        arg="#stap-1 h3",
    )
    page.locator("#stap-1").get_by_role("button", name="Afronden").focus()
    page.keyboard.press("Enter")
    page.locator("#stap-1 .ivp-step__confirm").wait_for()
    _focus_in(page, "#stap-1 .ivp-step__confirm")
    assert "de aanleiding" in page.locator("#stap-1 .ivp-step__confirm").inner_text()
    page.keyboard.press("Tab")
    assert _focused(page)["text"] == "Toch afronden"
    page.keyboard.press("Enter")
    page.locator("#stap-1.ivp-step--afgerond").wait_for()
    _focus_in(page, "#stap-1")

    # a text of the werkgroep in the analysis: saving keeps focus in that block
    page.goto(f"{live_server.url}/plannen/{demo.plan.pk}/analyse/veld/1/")
    block = page.locator(".ivp-va-tekst").first
    block_id = block.get_attribute("id")
    block.locator("textarea").first.fill("Een eerste zin van de werkgroep.")
    block.get_by_role("button", name=re.compile("Opslaan")).first.focus()
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Enter")
    page.wait_for_function("() => !document.activeElement.matches('button')")
    _focus_in(page, f"#{block_id}")
    assert _focused(page)["tag"] in ("h3", "h4"), _focused(page)


def the_error_summary_leads_to_each_field(demo, live_server, page):
    page.goto(f"{live_server.url}/plannen/nieuw/")
    page.get_by_role("button", name="Plan aanmaken").click()

    # the summary is at the top of the form and has focus
    summary = page.locator(".ivp-error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('ivp-error-summary')")
    expect(summary.get_by_role("heading", name="Controleer het formulier")).to_be_visible()
    links = summary.get_by_role("link")
    assert links.count() >= 2  # titel and gemeenten
    names = [links.nth(i).inner_text() for i in range(links.count())]
    assert any(n.startswith("Gemeenten") for n in names), names

    # the gemeenten: a fieldset with a legend, its error shown and tied to the group
    group = page.locator("fieldset#id_gemeenten_groep")
    assert group.locator("legend").inner_text().startswith("Gemeenten")
    error = group.locator(".ivp-field__error")
    expect(error).to_be_visible()
    assert error.inner_text()
    assert error.get_attribute("id") in group.get_attribute("aria-describedby").split()
    assert group.locator("label[for='']").count() == 0

    # following a link moves focus to the field (for the group: its first box)
    summary.get_by_role("link", name=re.compile("^Gemeenten")).click()
    focused = _focused(page)
    assert focused["tag"] == "input" and focused["id"].startswith("id_gemeenten"), focused
    summary.get_by_role("link", name=re.compile("^Titel")).click()
    assert _focused(page)["id"] == "id_titel"
    described = page.locator("#id_titel").get_attribute("aria-describedby").split()
    assert "id_titel_error" in described


FOCUS_RING_JS = """sel => {
  const lum = c => {
    const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
    }
    return 'rgb(255, 255, 255)';
  };
  const el = document.querySelector(sel);
  el.focus({ focusVisible: true });
  const ring = getComputedStyle(el);
  return { visible: el.matches(':focus-visible'), style: ring.outlineStyle,
           width: parseFloat(ring.outlineWidth),
           contrast: contrast(ring.outlineColor, background(el.parentElement)) };
}"""


def the_focus_ring_stands_out_against_the_panels(demo, live_server, page):
    """WCAG 1.4.11: the focus ring has ≥ 3:1 against what is around it, on white, on the
    light panels (the steps, the footer) and on the dark header."""
    page.goto(f"{live_server.url}/plannen/{demo.plan.pk}/")
    page.keyboard.press("Tab")  # keyboard use: focus rings show
    for where in ("main a", ".ivp-step button", ".ivp-footer a", ".ivp-header a"):
        ring = page.evaluate(FOCUS_RING_JS, where)
        assert ring["visible"] and ring["style"] != "none" and ring["width"] >= 2, (where, ring)
        assert ring["contrast"] >= 3, (where, ring)


def the_charts_have_their_numbers_as_text(demo, live_server, page):
    page.goto(f"{live_server.url}/plannen/{demo.plan.pk}/analyse/veld/1/")
    chart = page.locator("figure.ivp-va-chart:not(.ivp-va-funnel) svg[role=img]").first
    table_id = chart.get_attribute("aria-describedby")
    table = page.locator(f"table#{table_id}")
    assert table.count() == 1
    text = table.text_content()
    # the gemeente's own line and the comparison lines, with numbers per year
    assert "'s-Hertogenbosch" in text and "mediaan" in text.lower() and "Nederland" in text
    assert re.search(r"\d+,\d", text)
    # two charts on one page never share an id (the whole-page check is in the walk)
    ids = page.evaluate("[...document.querySelectorAll('svg [id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)) and ids
    assert DEMO_PLAN_TITEL  # the demo plan is the one walked


def test_keyboard_focus_error_summary_focus_ring_and_charts(demo, live_server, browser_page):
    """Keyboard walks of the main forms: where focus lands after each htmx swap."""
    page = browser_page
    login(page, live_server, "demo")
    focus_after_htmx_swaps_in_the_uitvoeringsplan(demo, live_server, page)
    focus_after_a_step_status_change_and_an_analysis_text(demo, live_server, page)
    the_error_summary_leads_to_each_field(demo, live_server, page)
    the_focus_ring_stands_out_against_the_panels(demo, live_server, page)
    the_charts_have_their_numbers_as_text(demo, live_server, page)
