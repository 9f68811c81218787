"""List filters of the leads app (django-filter), shared by the pages and their Excel exports."""

from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.filters import style_filter_form
from crm.models import Industry
from leads.choices import LeadSource, LeadStatus, MeetingKind
from leads.forms import DATE, working_users
from leads.models import Lead, MeetingLog, PromotionEvent
from leads.selectors import overdue_clock_q, owned_by

# The source-event filter offers the events of the last two years (a district holds hundreds a year); an
# older event's leads are one click away on the event's own page, and a link to them keeps working.
RECENT_EVENT_DAYS = 730


def recent_events(selected=None):
    """Events that began in the last two years, or that the filter already names."""
    since = timezone.localdate() - timedelta(days=RECENT_EVENT_DAYS)
    recent = Q(starts_on__gte=since)
    if selected and str(selected).isdigit():
        recent |= Q(pk=int(selected))
    return PromotionEvent.objects.filter(recent)


class LeadFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=LeadStatus.choices)
    source = django_filters.ChoiceFilter(label=_("Source"), choices=LeadSource.choices)
    owner = django_filters.ModelChoiceFilter(label=_("Owner"), queryset=working_users(), method="by_owner")
    industry = django_filters.ModelChoiceFilter(label=_("Industry"), queryset=Industry.objects.all())
    source_event = django_filters.ModelChoiceFilter(label=_("Source event"), queryset=PromotionEvent.objects.all())
    overdue = django_filters.BooleanFilter(label=_("Clock overdue"), method="by_overdue")

    class Meta:
        model = Lead
        fields = ["status", "source", "owner", "industry", "source_event"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["owner"].queryset = working_users()
        self.filters["source_event"].queryset = recent_events(self.data.get("source_event") if self.data else None)
        style_filter_form(self)

    def by_owner(self, queryset, name, value):
        # An officer's leads are those they own or co-own.
        return queryset.filter(owned_by(value)) if value else queryset

    def by_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        q = overdue_clock_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)


class MeetingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MeetingKind.choices)
    created_by = django_filters.ModelChoiceFilter(label=_("Logged by"), queryset=working_users())
    occurred_after = django_filters.DateFilter(label=_("From"), field_name="occurred_at", lookup_expr="date__gte",
                                               widget=DATE)
    occurred_before = django_filters.DateFilter(label=_("To"), field_name="occurred_at", lookup_expr="date__lte",
                                                widget=DATE)

    class Meta:
        model = MeetingLog
        fields = ["kind", "created_by"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["created_by"].queryset = working_users()
        style_filter_form(self)
