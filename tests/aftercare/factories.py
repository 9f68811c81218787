"""Factories for aftercare, and helpers that drive a complaint through the services."""

from datetime import date

import factory

from aftercare import services
from aftercare.choices import Cadence, Category, Channel, ComplaintKind
from aftercare.models import KeyEnterprise, Organisation, OrganisationContact
from tests.factories import EnterpriseFactory, UserFactory, bureau


class KeyEnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyEnterprise

    enterprise = factory.SubFactory(EnterpriseFactory)
    officer = factory.SubFactory(UserFactory)
    cadence_months = Cadence.QUARTERLY
    designated_on = date(2026, 1, 5)
    designated_by = factory.SubFactory(UserFactory, role="leader")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"三亚市测试商会{n}")
    kind = "chamber"


class OrganisationContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationContact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"秘书长{n}")
    mobile = "13907551234"


def register(by, *, code="ndrc", enterprise=None, **fields):
    """A complaint registered by `by` and routed to the bureau `code` through the service."""
    values = {"enterprise": enterprise or EnterpriseFactory(), "bureau": bureau(code),
              "category": Category.APPROVAL_DELAY, "subject": "备案迟迟未办", "content": "项目备案已提交二十天仍未办结",
              "channel": Channel.CALL, "kind": ComplaintKind.COMPLAINT, "complainant": "张总"}
    values.update(fields)
    return services.complaint_register(by=by, **values)
