"""Read functions for the shared core: visibility from crm.access, joins applied once."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from crm.access import enterprises_visible_to
from crm.models import Contact, Enterprise

ENTERPRISE_SORTS = {
    "name": "name",
    "-name": "-name",
    "updated": "updated_at",
    "-updated": "-updated_at",
    "capital": "registered_capital_wan",
    "-capital": "-registered_capital_wan",
}


def enterprise_list(*, user, search: str = "", sort: str = "name") -> QuerySet[Enterprise]:
    """The register as the user may see it, with industry joined and contacts counted in one query.

    The contacts are counted by a subquery, not a join: the paginator's COUNT then reads only the enterprises
    (a join grouped every enterprise with its contacts just to count them), and the database counts contacts
    for the rows of the page alone (docs/performance.md)."""
    contacts = (Contact.objects.filter(enterprise=OuterRef("pk")).order_by().values("enterprise")
                .annotate(n=Count("id")).values("n"))
    qs = enterprises_visible_to(user).select_related("industry").annotate(
        contact_count=Coalesce(Subquery(contacts, output_field=IntegerField()), 0))
    if search:
        term = search.strip()
        qs = qs.filter(Q(name__icontains=term) | Q(credit_code__icontains=term.upper()))
    return qs.order_by(ENTERPRISE_SORTS.get(sort, "name"), "id")


def enterprise_history(*, enterprise: Enterprise, limit: int = 50):
    """Who changed what on an enterprise, newest first, with the changed fields listed."""
    records = list(enterprise.history.select_related("history_user").order_by("-history_date")[: limit + 1])
    entries = []
    for newer, older in zip(records, records[1:] + [None], strict=False):
        changes = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=["version", "updated_at"])
            changes = [
                {"field": Enterprise._meta.get_field(c.field).verbose_name, "old": c.old, "new": c.new}
                for c in delta.changes
            ]
        entries.append({"record": newer, "changes": changes})
    return entries[:limit]
