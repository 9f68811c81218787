"""API endpoints of aftercare: complaints and requests, read as the user may see them, registered by another
system (the 12345 hotline, a government service portal), answered by the bureau they are routed to, closed
and reopened by the officer in charge, all through the same services as the pages."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from aftercare import access, services
from aftercare.choices import Channel, Satisfaction
from aftercare.models import Complaint
from crm.access import can_work
from crm.api.base import validated_input
from crm.api.serializers import PersonalDataSerializerMixin
from crm.models import Bureau, Contact, Enterprise


class ComplaintSerializer(PersonalDataSerializerMixin, serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    bureau = serializers.SlugRelatedField(source="current_cycle.bureau", slug_field="code", read_only=True)
    due_on = serializers.DateField(source="current_cycle.due_on", read_only=True)
    handling = serializers.IntegerField(source="current_cycle.number", read_only=True)
    answer = serializers.CharField(source="current_cycle.answer", read_only=True)
    satisfaction = serializers.CharField(source="current_cycle.satisfaction", read_only=True)

    class Meta:
        model = Complaint
        fields = ["id", "code", "enterprise", "contact", "complainant", "kind", "channel", "category", "subject",
                  "content", "received_on", "status", "bureau", "due_on", "handling", "answer", "satisfaction",
                  "owner", "created_at"]
        read_only_fields = fields


class ComplaintCreateSerializer(serializers.Serializer):
    """What another system sends; the channel is always "API" and the rules are the service's."""

    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all(), required=False, allow_null=True)
    complainant = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=Complaint._meta.get_field("kind").choices)
    category = serializers.ChoiceField(choices=Complaint._meta.get_field("category").choices)
    subject = serializers.CharField(max_length=120, allow_blank=True)
    content = serializers.CharField(allow_blank=True)
    bureau = serializers.SlugRelatedField(queryset=Bureau.objects.filter(is_active=True), slug_field="code")
    received_on = serializers.DateField(required=False, allow_null=True)
    due_on = serializers.DateField(required=False, allow_null=True)
    due_working_days = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=120)


class ComplaintAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(help_text="The bureau's answer to the investor's complaint or request.")


class ComplaintCloseSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices,
                                           help_text="The investor's verdict on the answer.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ComplaintReopenSerializer(serializers.Serializer):
    reason = serializers.CharField()
    bureau = serializers.SlugRelatedField(queryset=Bureau.objects.filter(is_active=True), slug_field="code",
                                          required=False, allow_null=True,
                                          help_text="Route to another bureau; the same one when left out.")
    due_on = serializers.DateField(required=False, allow_null=True)
    due_working_days = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=120)


class ComplaintActionsMixin:
    """answer / close / reopen as POST actions of the complaint endpoint; each answers with the complaint."""

    def _respond(self, complaint):
        complaint = self.get_queryset().get(pk=complaint.pk)
        return Response(ComplaintSerializer(complaint, context=self.get_serializer_context()).data)

    def _handled(self):
        """The officer in charge and leaders close and reopen (403 for everyone else who can see it)."""
        complaint = self.get_object()
        if not access.can_handle_complaint(self.request.user, complaint):
            raise PermissionDenied
        return complaint

    @extend_schema(request=ComplaintAnswerSerializer, responses={200: ComplaintSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """The bureau the complaint is routed to answers it (a partner bureau's reviewer, or for the promotion
        bureau its officers and leaders); anyone else who can see it gets 403."""
        complaint = self.get_object()
        if not services.may_answer_for(request.user, complaint.current_cycle.bureau):
            raise PermissionDenied
        data = validated_input(ComplaintAnswerSerializer, request)
        services.complaint_answer(complaint=complaint, by=request.user, answer=data["answer"])
        return self._respond(complaint)

    @extend_schema(request=ComplaintCloseSerializer, responses={200: ComplaintSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        complaint = self._handled()
        data = validated_input(ComplaintCloseSerializer, request)
        services.complaint_close(complaint=complaint, by=request.user, **data)
        return self._respond(complaint)

    @extend_schema(request=ComplaintReopenSerializer, responses={200: ComplaintSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen a complaint closed with the investor dissatisfied: routed again with a new due date."""
        complaint = self._handled()
        data = validated_input(ComplaintReopenSerializer, request)
        services.complaint_reopen(complaint=complaint, by=request.user, **data)
        return self._respond(complaint)


class ComplaintViewSet(ComplaintActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Complaints and requests: staff see all, a partner reviewer those routed to their bureau."""

    serializer_class = ComplaintSerializer
    filterset_fields = ["status", "category", "kind", "enterprise"]
    ordering_fields = ["received_on", "id"]
    ordering = ["-received_on", "-id"]

    def get_queryset(self):
        return access.complaints_visible_to(self.request.user).select_related("current_cycle__bureau")

    def get_serializer_class(self):
        return ComplaintCreateSerializer if self.action == "create" else ComplaintSerializer

    def create(self, request, *args, **kwargs):
        """Register a complaint received by another system; 400 with the service's field messages if refused."""
        if not can_work(request.user):
            raise PermissionDenied
        serializer = ComplaintCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        complaint = services.complaint_register(by=request.user, channel=Channel.API, **serializer.validated_data)
        return Response(ComplaintSerializer(complaint, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


def register(router):
    router.register("complaints", ComplaintViewSet, basename="complaint")
