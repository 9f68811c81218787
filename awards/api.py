"""API endpoints of incentive awards: the policies in force, and award applications prepared, submitted and
decided through awards.services, as awards.access allows (as on the pages:
officers prepare and submit for their own projects, only leaders decide, partner reviewers see nothing).
"""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from awards import access, selectors, services
from awards.choices import BeneficiaryKind
from awards.models import AwardApplication, AwardPolicy, Instalment
from crm.api.base import VisiblePrimaryKeyField, validated_input
from leads.access import introducers_visible_to
from leads.models import Introducer
from projects.models import Project


class AwardPolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = AwardPolicy
        fields = ["id", "key", "version", "title", "document_number", "issuer", "effective_from", "effective_to",
                  "applies_to", "public_notice_days", "is_current"]
        read_only_fields = fields


class InstalmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Instalment
        fields = ["id", "clause", "year", "number", "share", "amount", "condition", "status", "condition_met_on",
                  "paid_on"]
        read_only_fields = fields


class AwardApplicationSerializer(serializers.ModelSerializer):
    """An application with its computation (the breakdown a person can check by hand) and its instalments."""

    project_code = serializers.CharField(source="project.code", read_only=True)
    instalments = InstalmentSerializer(many=True, read_only=True)

    class Meta:
        model = AwardApplication
        fields = ["id", "project", "project_code", "policy", "beneficiary", "introducer",
                  "introducer_is_public_servant", "first_award_year", "status", "total", "complete", "result",
                  "computed_at", "decision_reason", "submitted_at", "approved_by", "approved_at",
                  "notice_starts_on", "notice_ends_on", "instalments", "created_by", "created_at"]
        read_only_fields = fields


def _preparable_projects(user):
    return access.projects_preparable_by(user)


def _current_policies(user):
    return selectors.current_policies(user)


class AwardApplicationCreateSerializer(serializers.Serializer):
    project = VisiblePrimaryKeyField(_preparable_projects, queryset=Project.objects.all(),
                                     help_text="A project you own or co-own (a leader: any project).")
    policy = VisiblePrimaryKeyField(_current_policies, queryset=AwardPolicy.objects.all(),
                                    help_text="The current version of a policy.")
    beneficiary = serializers.ChoiceField(choices=BeneficiaryKind.choices)
    introducer = VisiblePrimaryKeyField(introducers_visible_to, queryset=Introducer.objects.all(), required=False,
                                        allow_null=True, help_text="For an introducer's award.")
    introducer_is_public_servant = serializers.BooleanField(required=False, allow_null=True, default=None)
    first_award_year = serializers.IntegerField(required=False, allow_null=True, min_value=2000, max_value=2100,
                                                help_text="Year 1 of the policy's counting; by default the year "
                                                          "of registration, else of signing.")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class AwardPolicyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Award policies (奖励政策), every version; `is_current` marks the one new applications use."""

    serializer_class = AwardPolicySerializer
    filterset_fields = ["key", "is_current", "applies_to"]
    ordering_fields = ["effective_from", "key", "version", "id"]
    ordering = ["key", "-version"]

    def get_queryset(self):
        return access.policies_visible_to(self.request.user)


class AwardApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                              viewsets.GenericViewSet):
    """Award applications (奖励申报): computed from the project's records under a versioned policy."""

    serializer_class = AwardApplicationSerializer
    filterset_fields = ["project", "policy", "status", "beneficiary", "first_award_year"]
    ordering_fields = ["created_at", "total", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return (access.applications_visible_to(self.request.user).select_related("project")
                .prefetch_related("instalments"))

    def _respond(self, application, code=status.HTTP_200_OK):
        application = self.get_queryset().get(pk=application.pk)
        return Response(AwardApplicationSerializer(application, context=self.get_serializer_context()).data,
                        status=code)

    def _prepared(self) -> AwardApplication:
        application = self.get_object()
        if not access.can_prepare_application(self.request.user, application.project):
            raise PermissionDenied
        return application

    def _decided(self) -> AwardApplication:
        application = self.get_object()
        if not access.can_decide_application(self.request.user):
            raise PermissionDenied
        return application

    @extend_schema(request=AwardApplicationCreateSerializer, responses={201: AwardApplicationSerializer})
    def create(self, request, *args, **kwargs):
        """Open a draft and compute it; refused when the policy does not cover the project."""
        if not (access.can_use_awards(request.user) and _preparable_projects(request.user).exists()):
            raise PermissionDenied
        data = validated_input(AwardApplicationCreateSerializer, request)
        project = data["project"]
        application = services.award_application_create(
            project=project, policy=data["policy"], beneficiary=data["beneficiary"], by=request.user,
            introducer=data.get("introducer"), introducer_is_public_servant=data["introducer_is_public_servant"],
            first_award_year=data.get("first_award_year") or selectors.default_first_award_year(project))
        return self._respond(application, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: AwardApplicationSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send a draft to the leaders, computed afresh; refused while facts are missing or nothing is due."""
        application = self._prepared()
        return self._respond(services.award_application_submit(application=application, by=request.user))

    @extend_schema(request=None, responses={200: AwardApplicationSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """A leader approves: the public notice (公示) starts and the instalments are set."""
        application = self._decided()
        return self._respond(services.award_application_approve(application=application, by=request.user))

    @extend_schema(request=ReasonSerializer, responses={200: AwardApplicationSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        application = self._decided()
        data = validated_input(ReasonSerializer, request)
        return self._respond(services.award_application_reject(application=application, by=request.user,
                                                               reason=data["reason"]))

    @extend_schema(request=ReasonSerializer, responses={200: AwardApplicationSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request, pk=None):
        """A leader returns a submitted application to its officer for correction."""
        application = self._decided()
        data = validated_input(ReasonSerializer, request)
        return self._respond(services.award_application_return(application=application, by=request.user,
                                                               reason=data["reason"]))


def register(router) -> None:
    router.register("award-policies", AwardPolicyViewSet, basename="award-policy")
    router.register("award-applications", AwardApplicationViewSet, basename="award-application")
