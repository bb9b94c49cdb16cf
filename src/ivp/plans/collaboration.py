"""Working together on a plan: comments tied to a part, text proposals that the coordinator
adopts (as is or edited) or declines, and notifications (in the application and, where the
user wants, by e-mail).

A proposal is adopted through the part's own optimistic-locked save (``plans.targets``), with
the version the coordinator saw: a text that changed since is never overwritten unseen. A
comment or proposal on a confidential part is confidential (``confidential.comments_for``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ivp.accounts.models import User
from ivp.plans import targets as tg
from ivp.plans.access import Permission, can
from ivp.plans.models import Melding, MeldingVoorkeur, Plan, PlanRol, Reactie, Rol, Wijziging


def _require(user: User, plan: Plan, permission: Permission) -> None:
    if not can(user, plan, permission):
        raise PermissionDenied(_("U heeft geen rechten voor deze actie in dit plan."))


def _editors(plan: Plan) -> list[User]:
    """Who handles comments and proposals: the coordinators and redacteuren."""
    rollen = PlanRol.objects.filter(plan=plan, rol__in=[Rol.COORDINATOR, Rol.REDACTEUR])
    return [r.user for r in rollen.select_related("user")]


def wants_email(user: User) -> bool:
    voorkeur = MeldingVoorkeur.objects.filter(user=user).first()
    return bool(voorkeur and voorkeur.per_email and user.email)


def notify(users, plan: Plan, *, soort: str, tekst: str, url: str, sleutel: str = "") -> int:
    """A notification for each of ``users`` (once per person), and an e-mail to those who
    want one. Returns how many were made."""
    made = 0
    for user in {u.pk: u for u in users if u is not None and u.is_active}.values():
        Melding.objects.create(
            user=user, plan=plan, soort=soort, tekst=tekst[:300], url=url, sleutel=sleutel
        )
        made += 1
        if wants_email(user):
            body = _("%(tekst)s\n\nBekijk het in ivp: %(url)s\n\nPlan: %(plan)s") % {
                "tekst": tekst,
                "url": url,
                "plan": plan.titel,
            }
            send_mail(_("ivp: %(tekst)s") % {"tekst": tekst[:80]}, body, None, [user.email])
    return made


def _label(plan: Plan, key: str, user: User) -> tuple[str, tg.Target | None]:
    from ivp.plans.confidential import sees_confidential

    if not key:
        return _("het plan"), None
    found = tg.target(plan, key)
    if found is None or (found.confidential and not sees_confidential(user, plan)):
        raise ValidationError(_("Dit onderdeel bestaat niet (meer) in dit plan."))
    return found.label, found


def _reacties_url(plan: Plan, key: str = "") -> str:
    url = reverse("plans:reacties", args=[plan.pk])
    return f"{url}?over={key}" if key else url


@transaction.atomic
def comment(
    plan: Plan, *, by: User, tekst: str, sleutel: str = "", vertrouwelijk: bool = False
) -> Reactie:
    """A comment on the plan or one of its parts; the editors get a notification."""
    _require(by, plan, Permission.COMMENT)
    if vertrouwelijk:
        _require(by, plan, Permission.EDIT_CONTENT)
    label, target = _label(plan, sleutel, by)
    confidential = vertrouwelijk or bool(target and target.confidential)
    reactie = Reactie.objects.create(
        plan=plan,
        auteur=by,
        onderwerp=label[:200],
        tekst=tekst,
        sleutel=sleutel,
        vertrouwelijk=vertrouwelijk,
    )
    Wijziging.objects.create(
        plan=plan,
        user=by,
        actie="reactie geplaatst",
        onderdeel=_("Reacties"),
        velden={"onderwerp": [None, label]},
        sleutel=f"reactie:{reactie.pk}",
        vertrouwelijk=confidential,
    )
    notify(
        [u for u in _editors(plan) if u.pk != by.pk],
        plan,
        soort="reactie",
        tekst=_("%(wie)s reageerde op %(wat)s") % {"wie": by, "wat": label},
        url=_reacties_url(plan, sleutel),
        sleutel=sleutel,
    )
    return reactie


@transaction.atomic
def propose(
    plan: Plan, *, by: User, sleutel: str, veld: str, tekst: str, toelichting: str = ""
) -> Reactie:
    """A proposed text for one text field of a part; it changes nothing until an editor
    adopts it. The part's version is kept, so the editor sees when the text changed since."""
    _require(by, plan, Permission.COMMENT)
    label, target = _label(plan, sleutel, by)
    if target is None or veld not in target.fields:
        raise ValidationError(_("Kies een tekst van een onderdeel om een voorstel voor te doen."))
    if not tekst.strip():
        raise ValidationError(_("Schrijf de tekst die u voorstelt."))
    reactie = Reactie.objects.create(
        plan=plan,
        auteur=by,
        onderwerp=f"{label}: {target.fields[veld]}"[:200],
        tekst=toelichting,
        voorstel_tekst=tekst,
        sleutel=sleutel,
        veld=veld,
        basis_versie=target.version,
        voorstel_status="open",
    )
    Wijziging.objects.create(
        plan=plan,
        user=by,
        actie="tekstvoorstel gedaan",
        onderdeel=_("Reacties"),
        velden={"onderwerp": [None, reactie.onderwerp]},
        sleutel=f"reactie:{reactie.pk}",
        vertrouwelijk=target.confidential,
    )
    notify(
        [u for u in _editors(plan) if u.pk != by.pk],
        plan,
        soort="voorstel",
        tekst=_("%(wie)s stelde een tekst voor: %(wat)s") % {"wie": by, "wat": reactie.onderwerp},
        url=_reacties_url(plan, sleutel),
        sleutel=sleutel,
    )
    return reactie


@transaction.atomic
def decide(
    reactie: Reactie,
    *,
    by: User,
    besluit: str,
    expected_version: int | None = None,
    tekst: str | None = None,
) -> Reactie:
    """Adopt (``overnemen``, optionally with an edited ``tekst``) or decline (``afwijzen``)
    a proposal. Adopting saves through the part's own lock with ``expected_version``, the
    version the editor saw; :class:`targets.StaleTarget` when it changed since."""
    plan = reactie.plan
    _require(by, plan, Permission.EDIT_CONTENT)
    reactie = Reactie.objects.select_for_update().get(pk=reactie.pk)
    if reactie.voorstel_status != "open":
        raise ValidationError(_("Over dit voorstel is al besloten."))
    if besluit == "overnemen":
        target = tg.target(plan, reactie.sleutel)
        if target is None or reactie.veld not in target.fields or target.save is None:
            raise ValidationError(_("Het onderdeel van dit voorstel bestaat niet meer."))
        text = reactie.voorstel_tekst if tekst is None else tekst
        target.save(
            by=by,
            expected_version=target.version if expected_version is None else expected_version,
            **{reactie.veld: text},
        )
        reactie.voorstel_status = "overgenomen" if text == reactie.voorstel_tekst else "aangepast"
    elif besluit == "afwijzen":
        reactie.voorstel_status = "afgewezen"
    else:
        raise ValidationError(_("Kies overnemen of afwijzen."))
    reactie.afgehandeld_door = by
    reactie.afgehandeld_op = timezone.now()
    reactie.save(update_fields=["voorstel_status", "afgehandeld_door", "afgehandeld_op"])
    notify(
        [reactie.auteur] if reactie.auteur and reactie.auteur.pk != by.pk else [],
        plan,
        soort="besluit",
        tekst=_("Uw voorstel ‘%(wat)s’ is %(status)s")
        % {"wat": reactie.onderwerp, "status": reactie.get_voorstel_status_display()},
        url=_reacties_url(plan, reactie.sleutel),
        sleutel=reactie.sleutel,
    )
    return reactie
