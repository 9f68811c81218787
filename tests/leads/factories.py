"""factory_boy factories for leads, meetings, follow-ups and events."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from crm.choices import Role
from leads.choices import EventKind, LeadSource, MeetingKind
from leads.models import FollowUp, Lead, LeadStatusChange, MeetingLog, PromotionEvent
from tests.factories import EnterpriseFactory, UserFactory


class PromotionEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PromotionEvent

    name = factory.Sequence(lambda n: f"2026海南自贸港招商推介会第{n}场")
    kind = EventKind.PROMOTION
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=1))
    city = "上海"


class LeadFactory(factory.django.DjangoModelFactory):
    """A lead that arrived today, with the default 1 / 3 working-day clocks already set."""

    class Meta:
        model = Lead
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    title = factory.Sequence(lambda n: f"区域总部项目{n}")
    source = LeadSource.PROSPECTING
    intended_investment_wan = Decimal("5000")
    owner = factory.SubFactory(UserFactory, role=Role.OFFICER)
    received_on = factory.LazyFunction(timezone.localdate)
    first_response_due = factory.LazyAttribute(lambda o: o.received_on + timedelta(days=1))
    assessment_due = factory.LazyAttribute(lambda o: o.received_on + timedelta(days=3))

    @factory.post_generation
    def created_event(self, create, extracted, **kwargs):
        if create:
            LeadStatusChange.objects.create(lead=self, old_status="", new_status=self.status, changed_by=self.owner)


class MeetingLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingLog

    lead = factory.SubFactory(LeadFactory)
    enterprise = factory.LazyAttribute(lambda o: o.lead.enterprise if o.lead else EnterpriseFactory())
    kind = MeetingKind.VISIT
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    place = "吉阳区政府会议室"
    discussion = "介绍吉阳区产业政策，企业表达设立区域总部意向。"
    created_by = factory.LazyAttribute(lambda o: o.lead.owner if o.lead else None)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    lead = factory.SubFactory(LeadFactory)
    enterprise = factory.LazyAttribute(lambda o: o.lead.enterprise)
    owner = factory.LazyAttribute(lambda o: o.lead.owner)
    title = "发送用地政策材料"
    due_on = factory.LazyFunction(timezone.localdate)
