import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings
from django.urls import reverse

from ivp.plans.factories import UserFactory

pytestmark = pytest.mark.django_db


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2():
    user = UserFactory(username="argon")
    user.set_password("een-lang-wachtwoord")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_login_and_logout(client):
    UserFactory(username="coordinator")
    response = client.post(
        reverse("accounts:login"), {"username": "coordinator", "password": "wachtwoord-voor-tests"}
    )
    assert response.status_code == 302
    assert client.get(reverse("plans:home")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("plans:home")).status_code == 302


def test_a_wrong_password_gets_a_dutch_message(client):
    UserFactory(username="coordinator")
    response = client.post(
        reverse("accounts:login"), {"username": "coordinator", "password": "fout"}
    )
    assert "Gebruikersnaam of wachtwoord klopt niet" in response.content.decode()


def test_repeated_failures_lock_the_login(client):
    UserFactory(username="coordinator")
    for _ in range(3):  # AXES_FAILURE_LIMIT is 3 in the test settings
        client.post(reverse("accounts:login"), {"username": "coordinator", "password": "fout"})
    response = client.post(
        reverse("accounts:login"), {"username": "coordinator", "password": "wachtwoord-voor-tests"}
    )
    assert response.status_code in (403, 429)
    assert "Tijdelijk geblokkeerd" in response.content.decode()
    assert client.get(reverse("plans:home")).status_code == 302


def test_the_ui_stays_dutch_when_the_browser_asks_for_english(client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = page.content.decode()
    assert "Gebruikersnaam" in html
    assert "Username" not in html
