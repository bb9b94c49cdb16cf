"""The e-mails of accounts: an invitation with a link to set a password, and a notice to
someone who already has an account. Sent through Django's mail backend (SMTP in
production, a file outbox in the demo; see ``docs/configuration.md``)."""

from __future__ import annotations

from django.core.mail import send_mail
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ivp.accounts.models import Organisatie, Uitnodiging, User


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def send_invitation(uitnodiging: Uitnodiging, link: str, *, by: User) -> None:
    user = uitnodiging.user
    expires = formats.date_format(timezone.localtime(uitnodiging.verloopt_op), "j F Y H:i")
    subject = _("Uitnodiging voor ivp van %(organisatie)s") % {
        "organisatie": uitnodiging.organisatie.naam
    }
    body = _(
        "Beste %(naam)s,\n\n"
        "%(door)s nodigt u uit om in ivp, de werkbank voor integraal veiligheidsbeleid, "
        "mee te werken namens %(organisatie)s.\n\n"
        "Kies via deze link uw wachtwoord:\n%(link)s\n\n"
        "De link werkt één keer en tot %(verloopt)s. Daarna logt u in met uw "
        "gebruikersnaam: %(gebruikersnaam)s\n\n"
        "Verwachtte u deze uitnodiging niet? Dan kunt u dit bericht negeren.\n"
    ) % {
        "naam": _name(user),
        "door": _name(by),
        "organisatie": uitnodiging.organisatie.naam,
        "link": link,
        "verloopt": expires,
        "gebruikersnaam": user.username,
    }
    send_mail(subject, body, None, [user.email])


def send_added_notice(user: User, organisatie: Organisatie, *, by: User, base_url: str) -> None:
    subject = _("U bent toegevoegd aan %(organisatie)s in ivp") % {"organisatie": organisatie.naam}
    body = _(
        "Beste %(naam)s,\n\n"
        "%(door)s heeft u in ivp toegevoegd aan %(organisatie)s. U logt in zoals u gewend "
        "bent:\n%(link)s\n"
    ) % {
        "naam": _name(user),
        "door": _name(by),
        "organisatie": organisatie.naam,
        "link": base_url,
    }
    send_mail(subject, body, None, [user.email])
