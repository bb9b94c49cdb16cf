"""Pages of accounts: my account, the organisations a functioneel beheerder manages (members,
invitations), accepting an invitation, and the demo's mail outbox. Views validate input and
call ``services``."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ivp.accounts import services
from ivp.accounts.forms import InvitationPasswordForm, InviteForm, MemberForm, OrganisationForm
from ivp.accounts.models import Lidmaatschap, Organisatie
from ivp.accounts.organisations import beheerde_organisaties, gemeenten_of, may_start_plans
from ivp.accounts.outbox import read_outbox


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    lidmaatschappen = user.lidmaatschappen.select_related("organisatie")
    gemeenten = gemeenten_of(user)
    alle = user.is_superuser or lidmaatschappen.filter(organisatie__alle_gemeenten=True).exists()
    return render(
        request,
        "accounts/account.html",
        {
            "lidmaatschappen": lidmaatschappen,
            "gemeenten": None if alle else gemeenten,
            "may_start_plans": may_start_plans(user),
            "beheert": beheerde_organisaties(user).exists(),
        },
    )


@login_required
def organisaties(request: HttpRequest) -> HttpResponse:
    managed = beheerde_organisaties(request.user).prefetch_related("gemeenten")
    if not request.user.is_superuser and managed.count() == 1:
        return redirect("accounts:organisatie", pk=managed.get().pk)
    if not request.user.is_superuser and not managed.exists():
        raise PermissionDenied(_("U bent geen functioneel beheerder van een organisatie."))
    return render(request, "accounts/organisaties.html", {"organisaties": managed})


@login_required
def organisatie_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_superuser:
        raise PermissionDenied(_("Alleen een systeembeheerder maakt organisaties aan."))
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisatie = services.create_organisation(
                by=request.user,
                naam=data["naam"],
                soort=data["soort"],
                gemeenten=data["gemeenten"],
                alle_gemeenten=data["alle_gemeenten"],
                sso_code=data["sso_code"],
            )
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("De organisatie is aangemaakt. Nodig nu de functioneel beheerder uit."),
            )
            return redirect("accounts:uitnodigen", pk=organisatie.pk)
    return render(request, "accounts/organisatie_new.html", {"form": form})


def _managed(request: HttpRequest, pk: int) -> Organisatie:
    organisatie = beheerde_organisaties(request.user).filter(pk=pk).first()
    if organisatie is None:
        raise Http404
    return organisatie


@login_required
def organisatie(request: HttpRequest, pk: int) -> HttpResponse:
    organisatie = _managed(request, pk)
    leden = []
    members = organisatie.lidmaatschappen.select_related("user").prefetch_related(
        "user__uitnodigingen", "user__externe_identiteiten"
    )
    for lid in members.order_by("user__last_name", "user__first_name", "user__username"):
        open_invites = [u for u in lid.user.uitnodigingen.all() if u.open]
        leden.append(
            {
                "lid": lid,
                "gemeenten": services.member_gemeenten(lid)
                if not organisatie.alle_gemeenten
                else None,
                "uitnodiging": open_invites[0] if open_invites else None,
                "heeft_login": lid.user.has_usable_password()
                or lid.user.externe_identiteiten.exists(),
            }
        )
    return render(
        request,
        "accounts/organisatie.html",
        {"organisatie": organisatie, "leden": leden},
    )


@login_required
def uitnodigen(request: HttpRequest, pk: int) -> HttpResponse:
    organisatie = _managed(request, pk)
    form = InviteForm(request.POST or None, organisatie=organisatie)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.invite(
                organisatie,
                by=request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                rol=data["rol"],
                beheerder=data["beheerder"],
                gemeenten=data.get("gemeenten", []),
                base_url=_base_url(request),
            )
        except ValueError as error:
            form.add_error(None, str(error))
        except services.MailNotSent:
            messages.warning(
                request,
                _(
                    "De persoon is toegevoegd, maar de e-mail kon niet worden verstuurd. "
                    "Kies bij die persoon ‘Uitnodiging opnieuw versturen’."
                ),
            )
            return redirect("accounts:organisatie", pk=organisatie.pk)
        else:
            if result.uitnodiging is not None:
                messages.success(
                    request,
                    _("%(email)s is uitgenodigd. De uitnodiging is per e-mail verstuurd.")
                    % {"email": result.user.email},
                )
            else:
                messages.success(
                    request,
                    _("%(naam)s had al een account en is aan de organisatie toegevoegd.")
                    % {"naam": result.user},
                )
            return redirect("accounts:lid", pk=organisatie.pk, lid=result.lidmaatschap.pk)
    return render(request, "accounts/uitnodigen.html", {"organisatie": organisatie, "form": form})


@login_required
def lid(request: HttpRequest, pk: int, lid: int) -> HttpResponse:
    organisatie = _managed(request, pk)
    lidmaatschap = get_object_or_404(
        Lidmaatschap.objects.select_related("user"), pk=lid, organisatie=organisatie
    )
    initial = {
        "rol": lidmaatschap.rol,
        "beheerder": lidmaatschap.beheerder,
        "gemeenten": services.member_gemeenten(lidmaatschap),
    }
    form = MemberForm(request.POST or None, organisatie=organisatie, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_member(
                lidmaatschap,
                by=request.user,
                rol=data["rol"],
                beheerder=data["beheerder"],
                gemeenten=data.get("gemeenten", []),
            )
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("De gegevens van %(naam)s zijn opgeslagen.") % {"naam": lidmaatschap.user},
            )
            return redirect("accounts:lid", pk=organisatie.pk, lid=lidmaatschap.pk)
    user = lidmaatschap.user
    return render(
        request,
        "accounts/lid.html",
        {
            "organisatie": organisatie,
            "lidmaatschap": lidmaatschap,
            "persoon": user,
            "form": form,
            "heeft_login": user.has_usable_password() or user.externe_identiteiten.exists(),
        },
    )


@login_required
@require_POST
def lid_opnieuw_uitnodigen(request: HttpRequest, pk: int, lid: int) -> HttpResponse:
    organisatie = _managed(request, pk)
    lidmaatschap = get_object_or_404(Lidmaatschap, pk=lid, organisatie=organisatie)
    try:
        services.resend_invitation(lidmaatschap, by=request.user, base_url=_base_url(request))
    except ValueError as error:
        messages.error(request, str(error))
    except services.MailNotSent:
        messages.error(request, _("De e-mail kon niet worden verstuurd. Probeer het later."))
    else:
        messages.success(request, _("Er is een nieuwe uitnodiging verstuurd."))
    return redirect("accounts:lid", pk=organisatie.pk, lid=lidmaatschap.pk)


@login_required
@require_POST
def lid_verwijderen(request: HttpRequest, pk: int, lid: int) -> HttpResponse:
    organisatie = _managed(request, pk)
    lidmaatschap = get_object_or_404(
        Lidmaatschap.objects.select_related("user"), pk=lid, organisatie=organisatie
    )
    try:
        services.remove_member(lidmaatschap, by=request.user)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("accounts:lid", pk=organisatie.pk, lid=lidmaatschap.pk)
    messages.success(
        request,
        _("%(naam)s is geen lid meer van %(organisatie)s.")
        % {"naam": lidmaatschap.user, "organisatie": organisatie.naam},
    )
    return redirect("accounts:organisatie", pk=organisatie.pk)


def uitnodiging(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation: choose a password, then continue logged in."""
    try:
        invitation = services.open_invitation(token)
    except services.InvitationInvalid as error:
        return render(
            request, "accounts/uitnodiging_ongeldig.html", {"reden": str(error)}, status=410
        )
    form = InvitationPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(token, password=form.cleaned_data["new_password1"])
        except services.InvitationInvalid as error:
            return render(
                request, "accounts/uitnodiging_ongeldig.html", {"reden": str(error)}, status=410
            )
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welkom bij ivp. Uw wachtwoord is ingesteld; u bent ingelogd als %(naam)s.")
                % {"naam": user.username},
            )
            return redirect("plans:home")
    return render(request, "accounts/uitnodiging.html", {"uitnodiging": invitation, "form": form})


def postvak(request: HttpRequest) -> HttpResponse:
    """The demo's mail outbox: what the file mail backend wrote (only with IVP_MAIL_OUTBOX)."""
    if not settings.IVP_MAIL_OUTBOX or not settings.EMAIL_BACKEND.endswith(
        "filebased.EmailBackend"
    ):
        raise Http404
    berichten = read_outbox(Path(settings.EMAIL_FILE_PATH))
    return render(request, "accounts/postvak.html", {"berichten": berichten})
