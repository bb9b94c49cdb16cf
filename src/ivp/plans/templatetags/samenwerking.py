"""Template tags for working together: the number of unread notifications (the bell in the
header) and the comments of a part, shown at the part."""

from __future__ import annotations

from collections import Counter

from django import template

from ivp.plans import confidential
from ivp.plans.models import Melding

register = template.Library()


@register.simple_tag(takes_context=True)
def ongelezen_meldingen(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "_ivp_unread"):
        request._ivp_unread = Melding.objects.filter(user=user, gelezen=False).count()
    return request._ivp_unread


@register.inclusion_tag("plans/_reacties_bij.html", takes_context=True)
def reacties_bij(context, plan, part, alleen_met_reacties: bool = False) -> dict:
    """ "N reacties" with a link to them and to reacting, for ``part`` (a priority, theme,
    chapter, section or measure). The counts of the whole plan are read once per request
    (one query), as the user may see them. ``alleen_met_reacties``: nothing while there are
    none (in a table row, where a link in every row would only be noise)."""
    request = context.get("request")
    if part is None or getattr(part, "pk", None) is None or request is None:
        return {"count": 0, "may_comment": False}
    sleutel = confidential.key_of(part)
    cache = getattr(request, "_ivp_comment_counts", None)
    if cache is None or cache[0] != plan.pk:
        keys = confidential.comments_for(request.user, plan).values_list("sleutel", flat=True)
        cache = (plan.pk, Counter(keys))
        request._ivp_comment_counts = cache
    perms = context.get("perms") or {}
    return {
        "plan": plan,
        "sleutel": sleutel,
        "count": cache[1].get(sleutel, 0),
        "may_comment": (
            not alleen_met_reacties and isinstance(perms, dict) and bool(perms.get("comment"))
        ),
    }
