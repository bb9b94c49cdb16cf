"""Optimistic locking: the one mechanism every app uses to keep concurrent edits apart.

Every editable row carries a ``version``. A save states the version its editor read; when
someone else saved in between, the save is refused with :class:`StaleEditError` (nothing is
stored, the form keeps the user's input and shows the other version). A plan as a whole
(:class:`ivp.plans.models.Plan`) uses the same rule through :func:`claim_next_version`.

Owns: the abstract :class:`Versioned` model, the error, and the lock-compare-save steps.
Imports only Django; every app that has editable rows (plans, beleidsplan, uitvoering and
what builds on them) imports this module, never the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

__all__ = [
    "FormSave",
    "StaleEditError",
    "VersionForm",
    "Versioned",
    "apply_changes",
    "bump",
    "claim_next_version",
    "lock_for_edit",
    "save_form",
]


class Versioned(models.Model):
    """A row that is edited by several people: a version, who saved it last, and when."""

    version = models.PositiveIntegerField(gettext_lazy("versie"), default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("gewijzigd door"),
    )
    updated_at = models.DateTimeField(gettext_lazy("gewijzigd op"), auto_now=True)

    class Meta:
        abstract = True


class VersionForm(forms.Form):
    """The version the editor read, carried in a hidden field of every edit form."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class StaleEditError(Exception):
    """Someone else saved this row after the actor read it; nothing was stored.
    ``current`` is the row as it is now. Apps name what was edited through ``subject``
    ("deze regel", "deze tekst") in a subclass, so the message reads naturally."""

    subject = gettext_lazy("dit onderdeel")
    yours = gettext_lazy("Uw wijziging")
    advice = ""
    other_shown = True  # the app's pages show the other version next to the form

    def __init__(self, current: Any) -> None:
        self.current = current
        by = getattr(current, "updated_by", None)
        who = (by.get_full_name() or by.username) if by else _("iemand anders")
        names = {"who": who, "subject": self.subject, "yours": self.yours}
        if self.other_shown:
            message = (
                _(
                    "%(who)s heeft %(subject)s intussen opgeslagen. %(yours)s is niet "
                    "opgeslagen en staat nog in het formulier; hieronder ziet u de andere versie."
                )
                % names
            )
        else:
            message = (
                _(
                    "%(who)s heeft %(subject)s intussen opgeslagen. %(yours)s is niet "
                    "opgeslagen en staat nog in het formulier. Sla opnieuw op om uw versie "
                    "toch te bewaren, of open de pagina opnieuw voor de opgeslagen versie."
                )
                % names
            )
        super().__init__(f"{message} {self.advice}".strip())


V = TypeVar("V", bound=models.Model)


def lock_for_edit(
    obj: V, expected_version: int, *, error: type[StaleEditError] = StaleEditError
) -> V | None:
    """The stored row, locked for the rest of the transaction; ``None`` when it no longer
    exists. Raises ``error`` (a :class:`StaleEditError`) when its version is not
    ``expected_version``. Call inside ``transaction.atomic``."""
    current = type(obj).objects.select_for_update(of=("self",)).filter(pk=obj.pk).first()
    if current is not None and current.version != expected_version:
        raise error(current)
    return current


def apply_changes(current: Versioned, values: dict[str, Any], *, by: Any) -> dict[str, list]:
    """Set ``values`` on a locked row, bump its version and save it; returns the difference
    as ``{field: [old, new]}`` (empty, and nothing saved, when nothing changed)."""
    diff = {
        name: [getattr(current, name), value]
        for name, value in values.items()
        if getattr(current, name) != value
    }
    if not diff:
        return diff
    for name, value in values.items():
        setattr(current, name, value)
    bump(current, by=by)
    return diff


def bump(current: Versioned, *, by: Any) -> None:
    """Save a locked row that changed otherwise (a status that follows an appended update,
    a report frozen) as its next version."""
    current.version += 1
    current.updated_by = by
    current.save()


def claim_next_version(obj: models.Model, expected_version: int) -> bool:
    """Atomically move ``obj`` from ``expected_version`` to the next version; ``False`` (and
    nothing changed) when someone else claimed it first."""
    updated = (
        type(obj)
        .objects.filter(pk=obj.pk, version=expected_version)
        .update(version=F("version") + 1)
    )
    if updated:
        obj.version = expected_version + 1
    return bool(updated)


@dataclass(frozen=True)
class FormSave:
    """What became of a form's save: ``saved`` (``value``: what the save returned), or not
    (the form then carries the errors); ``conflict`` when someone else saved first."""

    saved: bool
    conflict: StaleEditError | None = None
    value: Any = None

    def problem(self, form: forms.Form) -> str:
        """One line for a page that shows no error summary of its own: the conflict, else
        the refusal put on the form ("" when saved or when only fields are wrong)."""
        if self.conflict is not None:
            return str(self.conflict)
        return " ".join(form.non_field_errors())


def save_form(
    form: forms.Form,
    save: Callable[[dict[str, Any]], object],
    *,
    refused: tuple[type[Exception], ...] = (),
) -> FormSave:
    """The edit forms' one way to save: validate ``form`` and call ``save(cleaned_data)``.
    A stale save keeps what the user typed and moves the form's hidden version to the stored
    one, so that a second save deliberately builds on the other version; a refusal
    (``ValidationError``, or one of ``refused``, such as ``PermissionDenied``) is put on the
    form. Nothing is lost either way: the view shows the bound form again."""
    if not form.is_valid():
        return FormSave(False)
    try:
        value = save(form.cleaned_data)
    except StaleEditError as error:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = error.current.version
        return FormSave(False, error)
    except ValidationError as error:
        form.add_error(None, " ".join(error.messages))
        return FormSave(False)
    except refused as error:
        form.add_error(None, str(error))
        return FormSave(False)
    return FormSave(True, value=value)
