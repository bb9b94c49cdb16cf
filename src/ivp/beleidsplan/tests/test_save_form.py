"""The edit forms' one way to save (``plans.versioning.save_form``), on a priority of step 3."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from ivp.beleidsplan import services
from ivp.beleidsplan.models import Prioriteit
from ivp.plans.versioning import VersionForm, save_form


class _TitleForm(VersionForm):
    titel = forms.CharField()


def _save(prio, user):
    def save(data):
        services.update_part(prio, by=user, expected_version=data["version"], titel=data["titel"])

    return save


def test_a_form_saves_when_nobody_saved_in_between(plan, coordinator):
    prio = services.add_prioriteit(plan, by=coordinator, titel="Jeugd", themas=["3.1"])
    form = _TitleForm({"p-titel": "Jeugd en veiligheid", "p-version": prio.version}, prefix="p")
    result = save_form(form, _save(prio, coordinator))
    assert result.saved and result.conflict is None
    assert Prioriteit.objects.get(pk=prio.pk).titel == "Jeugd en veiligheid"


def test_a_stale_save_keeps_the_input_and_moves_the_version_to_the_stored_one(
    plan, coordinator, make_member
):
    prio = services.add_prioriteit(plan, by=coordinator, titel="Jeugd", themas=["3.1"])
    read = prio.version
    services.update_part(prio, by=make_member("redacteur"), expected_version=read, titel="Eerst")
    form = _TitleForm({"p-titel": "Mijn titel", "p-version": read}, prefix="p")
    result = save_form(form, _save(Prioriteit.objects.get(pk=prio.pk), coordinator))
    assert not result.saved
    assert result.conflict is not None and result.conflict.current.titel == "Eerst"
    assert form.data["p-titel"] == "Mijn titel"  # the user's text stays in the form
    assert int(form.data["p-version"]) == read + 1  # a second save builds on the stored one
    assert Prioriteit.objects.get(pk=prio.pk).titel == "Eerst"


def test_a_refusal_is_put_on_the_form_and_stores_nothing():
    form = _TitleForm({"titel": "x", "version": 1})

    def refuse(_data):
        raise ValidationError("Deze titel bestaat al.")

    result = save_form(form, refuse)
    assert not result.saved and result.conflict is None
    assert form.non_field_errors() == ["Deze titel bestaat al."]

    form = _TitleForm({"titel": "x", "version": 1})

    def forbid(_data):
        raise PermissionDenied("Alleen de gemeente zelf.")

    result = save_form(form, forbid, refused=(PermissionDenied,))
    assert not result.saved and form.non_field_errors() == ["Alleen de gemeente zelf."]


def test_an_invalid_form_is_not_saved():
    called = []
    form = _TitleForm({"titel": "", "version": 1})
    result = save_form(form, called.append)
    assert not result.saved and not called and "titel" in form.errors
