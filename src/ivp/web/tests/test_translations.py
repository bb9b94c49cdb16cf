"""ivp is Dutch only (ADR 0006): no language switch, and every page stays Dutch whatever the
browser or an old language cookie asks — Django's own texts included."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db


def test_dutch_is_the_only_language():
    assert [code for code, _name in settings.LANGUAGES] == ["nl"]
    assert settings.LANGUAGE_CODE == "nl"
    assert not any("LocaleMiddleware" in m for m in settings.MIDDLEWARE)
    with pytest.raises(NoReverseMatch):
        reverse("set_language")


def test_no_page_offers_a_language_choice(client, coordinator):
    client.force_login(coordinator)
    for url in (reverse("accounts:login"), reverse("plans:home"), reverse("accounts:account")):
        html = client.get(url).content.decode()
        assert 'name="language"' not in html
        assert "Taal" not in html
    assert client.post("/i18n/setlang/", {"language": "en"}).status_code == 404


def test_a_browser_asking_for_english_and_an_old_language_cookie_still_get_dutch():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(
        reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert '<html lang="nl">' in html
    assert ">Inloggen</button>" in html
    assert "Log in to" not in html and "Username" not in html
    # Django's own messages come from its Dutch catalogue
    page = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    assert "Dit veld is vereist." in page.content.decode()


def test_django_texts_that_lack_a_dutch_translation_are_replaced(client):
    from django.contrib.auth.password_validation import (
        password_validators_help_texts,
        validate_password,
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        validate_password("kort")
    messages = " ".join(error.value.messages + password_validators_help_texts())
    english = re.findall(r"\b(?:password|must|contain|characters|too)\b", messages, re.I)
    assert english == [], messages
    assert "te kort" in messages
