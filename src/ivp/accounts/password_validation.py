"""Django's minimum-length rule with a Dutch message: Django 5.2 changed the message's
placeholder, and its Dutch catalogue has not caught up, so the message showed in English."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "Dit wachtwoord is te kort: het moet minstens %(min_length)d teken lang zijn.",
            "Dit wachtwoord is te kort: het moet minstens %(min_length)d tekens lang zijn.",
            self.min_length,
        ) % {"min_length": self.min_length}
