"""The working group's texts on the pages of step 2: the answers per subject and their
forms."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ivp.veiligheidsanalyse import services
from ivp.veiligheidsanalyse.forms import TekstForm, slug
from ivp.veiligheidsanalyse.models import AnalyseTekst

# -- texts ---------------------------------------------------------------------------------


def _answers(onderwerp: services.Onderwerp, tekst: AnalyseTekst) -> list[dict]:
    result = []
    for name in onderwerp.vragen:
        if name == "oordeel":
            label = _("Oordeel van de werkgroep")
            value = tekst.get_oordeel_display() if tekst.oordeel else ""
        else:
            field = AnalyseTekst._meta.get_field(name)
            label = str(field.verbose_name).capitalize()
            value = getattr(tekst, name)
        result.append({"name": name, "label": label, "value": value})
    return result


def _tekst_block(
    request: HttpRequest,
    plan,
    onderwerp: services.Onderwerp,
    tekst: AnalyseTekst,
    *,
    can_edit: bool,
    form: TekstForm | None = None,
    conflict: services.StaleTextError | None = None,
    saved: bool = False,
    gemeente: str | None = None,
) -> dict:
    if can_edit and form is None:
        initial = {name: getattr(tekst, name) for name in onderwerp.vragen}
        form = TekstForm(onderwerp=onderwerp, initial={**initial, "version": tekst.version})
    action = reverse("veiligheidsanalyse:tekst", args=[plan.pk, onderwerp.code])
    return {
        "onderwerp": onderwerp,
        "slug": slug(onderwerp.code),
        "tekst": tekst,
        "answers": _answers(onderwerp, tekst),
        "form": form if can_edit else None,
        "action": f"{action}?{urlencode({'gemeente': gemeente})}" if gemeente else action,
        "conflict": conflict,
        "current": _answers(onderwerp, conflict.current) if conflict else None,
        "current_by": _who(conflict.current.updated_by) if conflict else "",
        "saved": saved,
        "updated_by": _who(tekst.updated_by) if tekst.pk else "",
    }


def _who(user) -> str:
    if user is None:
        return _("iemand anders")
    return user.get_full_name() or user.username
