"""API endpoints of the leads app: leads, meeting logs, follow-ups, promotion events and introducers.

Interfaces like the pages in leads.views: visibility from leads.access and leads.selectors, changes through
leads.services, the same filters (leads.filters). Officers change what they own or co-own, leaders everything,
administrators only read (403), partner reviewers see nothing (empty lists, 404 for a record).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from crm import access as crm_access
from crm.api.base import VisiblePrimaryKeyField, validated_input
from crm.api.errors import VersionedUpdateMixin
from crm.api.serializers import PersonalDataSerializerMixin
from crm.models import Contact, Enterprise, Industry, User
from crm.services import StaleEdit
from crm.validators import validate_credit_code
from leads import access, selectors, services
from leads.choices import ClockState, EventKind, FollowUpStatus, IntroducerKind, LeadStatus, MeetingKind
from leads.filters import LeadFilter, MeetingFilter
from leads.forms import working_users
from leads.models import FollowUp, Introducer, Lead, MeetingLog, PromotionEvent

SEARCH = OpenApiParameter("q", OpenApiTypes.STR, description="Words in the title, the enterprise's name or its "
                                                             "credit code (as the list page's search box).")


def _workers(user) -> QuerySet[User]:
    return working_users()


def _require_worker(user) -> None:
    """Officers and leaders change the bureau's records; administrators and reviewers may not (403)."""
    if not crm_access.can_work(user):
        raise PermissionDenied


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _user_ref(**kwargs):
    return VisiblePrimaryKeyField(_workers, queryset=User.objects.all(), **kwargs)


# --- leads -----------------------------------------------------------------------------------------------


class LeadSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    first_response_clock = serializers.ChoiceField(choices=ClockState.choices, read_only=True)
    assessment_clock = serializers.ChoiceField(choices=ClockState.choices, read_only=True)

    class Meta:
        model = Lead
        fields = ["id", "title", "enterprise", "enterprise_name", "source", "source_event", "introducer",
                  "intended_investment_wan", "industry", "owner", "co_owners", "status", "status_reason",
                  "status_changed_at", "notes", "duplicate_reason", "received_on", "first_response_due",
                  "first_responded_on", "first_response_clock", "assessment_due", "assessed_on", "assessment",
                  "assessment_clock", "version", "created_at", "updated_at"]
        read_only_fields = fields

    def to_representation(self, instance):
        if not hasattr(instance, "first_response_clock"):
            selectors.attach_clocks([instance])  # no query: computed from the lead's own dates
        return super().to_representation(instance)


class NewEnterpriseSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    credit_code = serializers.CharField(max_length=30, required=False, allow_null=True, allow_blank=True,
                                        validators=[validate_credit_code])
    industry = serializers.PrimaryKeyRelatedField(queryset=Industry.objects.all(), required=False, allow_null=True)

    def validate_credit_code(self, value):
        return value or None


class LeadCreateSerializer(serializers.Serializer):
    """A new lead on an enterprise of the register (`enterprise`) or on one registered with it (`new_enterprise`)."""

    enterprise = VisiblePrimaryKeyField(crm_access.enterprises_visible_to, queryset=Enterprise.objects.all(),
                                        required=False, allow_null=True)
    new_enterprise = NewEnterpriseSerializer(required=False, allow_null=True)
    title = serializers.CharField(max_length=160)
    source = serializers.ChoiceField(choices=Lead._meta.get_field("source").choices)
    source_event = VisiblePrimaryKeyField(access.events_visible_to, queryset=PromotionEvent.objects.all(),
                                          required=False, allow_null=True)
    introducer = VisiblePrimaryKeyField(access.introducers_visible_to, queryset=Introducer.objects.all(),
                                        required=False, allow_null=True)
    intended_investment_wan = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0,
                                                       required=False, allow_null=True)
    industry = serializers.PrimaryKeyRelatedField(queryset=Industry.objects.all(), required=False, allow_null=True)
    received_on = serializers.DateField(required=False, allow_null=True)
    co_owners = _user_ref(many=True, required=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    duplicate_reason = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="Why to go on although the enterprise may already be followed (asked after a 400 that lists "
                  "possible_duplicates).")


class LeadUpdateSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you read (409 if it changed since).")
    source_event = VisiblePrimaryKeyField(access.events_visible_to, queryset=PromotionEvent.objects.all(),
                                          required=False, allow_null=True)
    introducer = VisiblePrimaryKeyField(access.introducers_visible_to, queryset=Introducer.objects.all(),
                                        required=False, allow_null=True)
    co_owners = _user_ref(many=True, required=False)

    class Meta:
        model = Lead
        fields = [*services.LEAD_EDITABLE_FIELDS, "co_owners", "version"]


class LeadStatusSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=LeadStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="Required to shelve a lead or mark it invalid.")


class LeadAssessmentSerializer(serializers.Serializer):
    assessment = serializers.CharField()


class LeadReassignSerializer(serializers.Serializer):
    owner = _user_ref()
    co_owners = _user_ref(many=True, required=False)


def _duplicate_response(exc: services.PossibleDuplicate) -> Response:
    """The duplicate warning as a 400 naming the enterprises and their leads; resend with a duplicate_reason."""
    return Response(status=status.HTTP_400_BAD_REQUEST, data={
        "duplicate_reason": [str(exc.messages[0])],
        "possible_duplicates": [{
            "enterprise": m.enterprise.pk, "enterprise_name": m.enterprise.name, "reason": m.reason,
            "leads": [{"id": lead.pk, "title": lead.title, "status": lead.status,
                       "owner": lead.owner.display_name} for lead in m.leads],
        } for m in exc.matches],
    })


@extend_schema_view(list=extend_schema(parameters=[SEARCH]))
class LeadViewSet(VersionedUpdateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Leads (招商线索) as the user may see them; status moves, assessment and reassignment as actions."""

    serializer_class = LeadSerializer
    filterset_class = LeadFilter
    ordering_fields = ["created_at", "intended_investment_wan", "title", "received_on", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        search = self.request.query_params.get("q", "") if self.action == "list" else ""
        return selectors.lead_list(user=self.request.user, search=search).prefetch_related("co_owners")

    def get_serializer_class(self):
        return {"create": LeadCreateSerializer, "partial_update": LeadUpdateSerializer}.get(self.action,
                                                                                             LeadSerializer)

    def _editable(self) -> Lead:
        lead = self.get_object()
        _require(access.can_edit_lead(self.request.user, lead))
        return lead

    @extend_schema(request=LeadCreateSerializer, responses={201: LeadSerializer})
    def create(self, request, *args, **kwargs):
        _require_worker(request.user)
        data = validated_input(LeadCreateSerializer, request)
        if data.get("new_enterprise") is None:
            data.pop("new_enterprise", None)
        if data.get("enterprise") is None:
            data.pop("enterprise", None)
        for name in ("received_on", "co_owners"):
            if data.get(name) is None:
                data.pop(name, None)
        try:
            lead = services.lead_create(by=request.user, **data)
        except services.PossibleDuplicate as exc:
            return _duplicate_response(exc)
        return Response(LeadSerializer(lead, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=LeadUpdateSerializer, responses={200: LeadSerializer})
    def partial_update(self, request, *args, **kwargs):
        lead = self._editable()
        data = validated_input(LeadUpdateSerializer, request, partial=True)
        data.pop("version", None)
        version = self.get_client_version(request, lead)
        lead = services.lead_update(lead=lead, by=request.user, version=version, **data)
        return Response(LeadSerializer(lead, context=self.get_serializer_context()).data)

    @extend_schema(request=LeadStatusSerializer, responses={200: LeadSerializer})
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Move the lead (following, shelved, invalid); conversion happens by creating its project."""
        lead = self._editable()
        data = validated_input(LeadStatusSerializer, request)
        lead = services.lead_set_status(lead=lead, by=request.user, to=data["to"], reason=data["reason"])
        return Response(LeadSerializer(lead, context=self.get_serializer_context()).data)

    @extend_schema(request=LeadAssessmentSerializer, responses={200: LeadSerializer})
    @action(detail=True, methods=["post"])
    def assessment(self, request, pk=None):
        """Record the assessment (研判); it stops both response clocks."""
        lead = self._editable()
        data = validated_input(LeadAssessmentSerializer, request)
        lead = services.lead_record_assessment(lead=lead, by=request.user, assessment=data["assessment"])
        return Response(LeadSerializer(lead, context=self.get_serializer_context()).data)

    @extend_schema(request=LeadReassignSerializer, responses={200: LeadSerializer})
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        """Give the lead to another officer: a leader's decision."""
        lead = self.get_object()
        _require(crm_access.is_leader(request.user))
        data = validated_input(LeadReassignSerializer, request)
        lead = services.lead_reassign(lead=lead, by=request.user, owner=data["owner"],
                                      co_owners=data.get("co_owners"))
        return Response(LeadSerializer(lead, context=self.get_serializer_context()).data)


# --- meeting logs ----------------------------------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = MeetingLog
        fields = ["id", "kind", "occurred_at", "place", "enterprise", "enterprise_name", "lead", "our_attendees",
                  "their_attendees", "discussion", "demands", "next_steps", "created_by", "version", "created_at",
                  "updated_at"]
        read_only_fields = fields


def _contacts_visible_to(user) -> QuerySet[Contact]:
    return crm_access.contacts_visible_to(user)


class MeetingCreateSerializer(serializers.Serializer):
    """A meeting on an enterprise, on one of its leads (`lead`) or without one (aftercare visits)."""

    enterprise = VisiblePrimaryKeyField(crm_access.enterprises_visible_to, queryset=Enterprise.objects.all(),
                                        required=False, help_text="Optional when a lead is given.")
    lead = VisiblePrimaryKeyField(access.leads_visible_to, queryset=Lead.objects.all(), required=False,
                                  allow_null=True)
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    occurred_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")
    our_attendees = _user_ref(many=True, required=False)
    their_attendees = VisiblePrimaryKeyField(_contacts_visible_to, queryset=Contact.objects.all(), many=True,
                                             required=False)
    discussion = serializers.CharField()
    demands = serializers.CharField(required=False, allow_blank=True, default="")
    next_steps = serializers.CharField(required=False, allow_blank=True, default="")
    follow_up_title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    follow_up_due = serializers.DateField(required=False, allow_null=True)
    follow_up_owner = _user_ref(required=False, allow_null=True)

    def validate(self, attrs):
        if attrs.get("lead") is None and attrs.get("enterprise") is None:
            raise serializers.ValidationError({"enterprise": [_("Name the enterprise or the lead.")]})
        return attrs


class MeetingUpdateSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you read (409 if it changed since).")
    our_attendees = _user_ref(many=True, required=False)
    their_attendees = VisiblePrimaryKeyField(_contacts_visible_to, queryset=Contact.objects.all(), many=True,
                                             required=False)

    class Meta:
        model = MeetingLog
        fields = [*services.MEETING_EDITABLE_FIELDS, "our_attendees", "their_attendees", "version"]


class MeetingCreatedSerializer(MeetingSerializer):
    follow_up = serializers.SerializerMethodField(help_text="The follow-up the meeting set, if any.")

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "follow_up"]
        read_only_fields = fields

    def get_follow_up(self, meeting) -> int | None:
        follow_up = getattr(meeting, "follow_up", None)
        return follow_up.pk if follow_up else None


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter(
    "q", OpenApiTypes.STR, description="Words in the enterprise's name, the discussion, demands or place.")]))
class MeetingViewSet(VersionedUpdateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Meeting logs (洽谈/走访记录); logging one on a new lead counts as its first response."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["occurred_at", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        search = self.request.query_params.get("q", "") if self.action == "list" else ""
        return (selectors.meeting_list(user=self.request.user, search=search)
                .prefetch_related("our_attendees", "their_attendees", "lead__co_owners"))

    def get_serializer_class(self):
        return {"create": MeetingCreateSerializer, "partial_update": MeetingUpdateSerializer}.get(
            self.action, MeetingSerializer)

    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingCreatedSerializer})
    def create(self, request, *args, **kwargs):
        _require_worker(request.user)
        data = validated_input(MeetingCreateSerializer, request)
        lead = data.pop("lead", None)
        enterprise = data.pop("enterprise", None) or lead.enterprise
        if lead is not None:
            _require(access.can_edit_lead(request.user, lead))
        if data.get("follow_up_owner") is None:
            data.pop("follow_up_owner", None)
        meeting, follow_up = services.meeting_log_create(by=request.user, enterprise=enterprise, lead=lead, **data)
        meeting.follow_up = follow_up
        return Response(MeetingCreatedSerializer(meeting, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=MeetingUpdateSerializer, responses={200: MeetingSerializer})
    def partial_update(self, request, *args, **kwargs):
        meeting = self.get_object()
        _require(access.can_edit_meeting(request.user, meeting))
        data = validated_input(MeetingUpdateSerializer, request, partial=True)
        data.pop("version", None)
        version = self.get_client_version(request, meeting)
        meeting = services.meeting_log_update(meeting=meeting, by=request.user, version=version, **data)
        return Response(MeetingSerializer(meeting, context=self.get_serializer_context()).data)


# --- follow-ups ------------------------------------------------------------------------------------------


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "title", "due_on", "owner", "status", "enterprise", "lead", "meeting", "rescheduled_to",
                  "closed_at", "closing_note", "created_at"]
        read_only_fields = fields


class FollowUpFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=FollowUpStatus.choices)
    due_before = filters.DateFilter(field_name="due_on", lookup_expr="lte")
    due_after = filters.DateFilter(field_name="due_on", lookup_expr="gte")

    class Meta:
        model = FollowUp
        fields = ["status", "owner", "lead", "enterprise"]


class FollowUpNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FollowUpRescheduleSerializer(serializers.Serializer):
    due_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Follow-ups (跟进事项): set by meetings; done, cancelled or moved to a new date here."""

    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilter
    ordering_fields = ["due_on", "id"]
    ordering = ["due_on", "id"]

    def get_queryset(self):
        return (access.follow_ups_visible_to(self.request.user).select_related("lead")
                .prefetch_related("lead__co_owners"))

    def _editable(self) -> FollowUp:
        follow_up = self.get_object()
        _require(access.can_edit_follow_up(self.request.user, follow_up))
        return follow_up

    def _respond(self, follow_up):
        return Response(FollowUpSerializer(follow_up, context=self.get_serializer_context()).data)

    @extend_schema(request=FollowUpNoteSerializer, responses={200: FollowUpSerializer})
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        follow_up = self._editable()
        data = validated_input(FollowUpNoteSerializer, request)
        return self._respond(services.follow_up_complete(follow_up=follow_up, by=request.user, note=data["note"]))

    @extend_schema(request=FollowUpNoteSerializer, responses={200: FollowUpSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        follow_up = self._editable()
        data = validated_input(FollowUpNoteSerializer, request)
        return self._respond(services.follow_up_cancel(follow_up=follow_up, by=request.user, note=data["note"]))

    @extend_schema(request=FollowUpRescheduleSerializer, responses={200: FollowUpSerializer})
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        """Close this follow-up as rescheduled and open its successor on the new date (returned: the old one)."""
        follow_up = self._editable()
        data = validated_input(FollowUpRescheduleSerializer, request)
        return self._respond(services.follow_up_reschedule(follow_up=follow_up, by=request.user, **data))


# --- promotion events and introducers --------------------------------------------------------------------


class EventSerializer(serializers.ModelSerializer):
    lead_count = serializers.IntegerField(read_only=True, help_text="Leads the event produced.")
    investment = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, allow_null=True,
                                          help_text="Their intended investment (10k CNY).")

    class Meta:
        model = PromotionEvent
        fields = ["id", "name", "kind", "starts_on", "ends_on", "city", "organiser", "attendees", "notes",
                  "lead_count", "investment", "version", "created_by", "created_at"]
        read_only_fields = fields


class EventWriteSerializer(serializers.ModelSerializer):
    attendees = _user_ref(many=True, required=False)
    kind = serializers.ChoiceField(choices=EventKind.choices)
    version = serializers.IntegerField(min_value=1, required=False,
                                       help_text="On a change: the version you read (409 if it changed since).")

    class Meta:
        model = PromotionEvent
        fields = ["name", "kind", "starts_on", "ends_on", "city", "organiser", "attendees", "notes", "version"]


class EventViewSet(VersionedUpdateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Promotion events (招商活动), each with the number of leads it produced."""

    serializer_class = EventSerializer
    filterset_fields = ["kind", "city"]
    ordering_fields = ["starts_on", "name", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.event_list(user=self.request.user).prefetch_related("attendees")

    def get_serializer_class(self):
        return EventWriteSerializer if self.action in ("create", "partial_update") else EventSerializer

    def _respond(self, event, code=status.HTTP_200_OK):
        event = self.get_queryset().get(pk=event.pk)  # with its lead count
        return Response(EventSerializer(event, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=EventWriteSerializer, responses={201: EventSerializer})
    def create(self, request, *args, **kwargs):
        _require_worker(request.user)
        data = validated_input(EventWriteSerializer, request)
        data.pop("version", None)
        attendees = data.pop("attendees", [request.user])
        return self._respond(services.event_create(by=request.user, attendees=attendees, **data),
                             status.HTTP_201_CREATED)

    @extend_schema(request=EventWriteSerializer, responses={200: EventSerializer})
    def partial_update(self, request, *args, **kwargs):
        event = self.get_object()
        _require(access.can_edit_event(request.user, event))
        serializer = EventWriteSerializer(event, data=request.data, partial=True,
                                          context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        attendees = data.pop("attendees", None)
        version = self.get_client_version(request, event)
        try:
            event = services.event_update(event=event, by=request.user, version=version, attendees=attendees,
                                          **data)
        except StaleEdit as exc:
            exc.current = self.get_queryset().get(pk=event.pk)  # the 409 shows it as a read does, lead count too
            raise
        return self._respond(event)


class IntroducerSerializer(PersonalDataSerializerMixin, serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=IntroducerKind.choices, default=IntroducerKind.ORGANISATION)

    class Meta:
        model = Introducer
        fields = ["id", "name", "kind", "id_number", "contact", "registered_at", "notes", "created_at"]
        read_only_fields = ["created_at"]


class IntroducerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    """Introducers and intermediaries (引荐人/招商中介) that leads can name; awards may be paid to them."""

    serializer_class = IntroducerSerializer
    filterset_fields = ["kind"]
    ordering_fields = ["name", "id"]

    def get_queryset(self):
        return access.introducers_visible_to(self.request.user)

    def perform_create(self, serializer):
        _require_worker(self.request.user)
        serializer.instance = services.introducer_create(by=self.request.user, **serializer.validated_data)


def register(router) -> None:
    router.register("leads", LeadViewSet, basename="lead")
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("follow-ups", FollowUpViewSet, basename="follow-up")
    router.register("events", EventViewSet, basename="event")
    router.register("introducers", IntroducerViewSet, basename="introducer")
