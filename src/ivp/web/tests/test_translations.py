"""The English catalogue: complete, compiled and actually used by the pages.

The .po is parsed here with a few lines of code rather than a library: the files
``makemessages`` writes are regular enough, and ivp has no other use for one.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def _unquote(text: str) -> str:
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """Every entry of the file, the header (empty msgid) included."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, target = Entry(), None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith("msgid_plural "):
                target, entry.msgid_plural = "msgid_plural", _unquote(line[13:])
            elif line.startswith("msgid "):
                target, entry.msgid = "msgid", _unquote(line[6:])
            elif line.startswith("msgstr"):
                keyword, _, value = line.partition(" ")
                index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                target, entry.msgstr[index] = index, _unquote(value)
            elif line.startswith('"'):
                if isinstance(target, int):
                    entry.msgstr[target] += _unquote(line)
                else:
                    setattr(entry, target, getattr(entry, target) + _unquote(line))
        if entry.msgstr:
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(PO)


def test_the_catalogue_has_the_strings_of_the_templates(entries):
    """Guards the parser: an empty or unreadable file must not pass the checks below."""
    msgids = {e.msgid for e in entries}
    assert len(entries) > 100
    assert {"Inloggen", "Mijn plannen", "Werkgroep", "Geschiedenis"} <= msgids


def test_every_string_is_translated_and_none_is_fuzzy(entries):
    header = next(e for e in entries if e.msgid == "")
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    untranslated = [
        e.msgid
        for e in entries
        if e.msgid
        and (
            not all(s.strip() for s in e.msgstr.values())
            or len(e.msgstr) != (2 if e.msgid_plural else 1)
        )
    ]
    assert fuzzy == []
    assert untranslated == []


def test_translations_keep_the_placeholders(entries):
    wrong = []
    for e in entries[1:]:
        sources = [e.msgid, e.msgid_plural or e.msgid]
        for index, text in e.msgstr.items():
            source = sources[min(index, 1)]
            if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(text)):
                wrong.append((source, text))
    assert wrong == []


def test_the_compiled_catalogue_matches_the_po(entries):
    """A stale django.mo silently shows old or Dutch texts: compile after every edit."""
    with MO.open("rb") as fp:
        mo = gettext.GNUTranslations(fp)
    stale = []
    for e in entries[1:]:
        if e.msgid_plural is None:
            found = [mo.gettext(e.msgid)]
        else:
            found = [mo.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]
        expected = [e.msgstr[i] for i in sorted(e.msgstr)]
        if found != expected:
            stale.append(e.msgid)
    assert stale == [], "run compilemessages (see docs) and commit django.mo"


@pytest.mark.django_db
def test_the_login_page_is_english_when_the_user_chose_english():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Log in to open your safety plans." in html
    assert ">Log in</button>" in html
    assert "Inloggen" not in html
    assert "Log in om" not in html


@pytest.mark.django_db
def test_the_login_page_stays_dutch_by_default():
    html = Client().get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="nl">' in html
    assert ">Inloggen</button>" in html
