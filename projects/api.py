"""API endpoints of the project pipeline: projects, review requests and opinions, conditions, talent requests
and documents.

Interfaces like the pages in projects.views: visibility from projects.access (a partner reviewer sees only
the projects and requests routed to their bureau, and only what a reviewer needs), every change through
projects.services, where the stage machine, the signing guard and the opinion rules live. Officers change their
own projects, leaders everything, administrators only read (403).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from crm import access as crm_access
from crm.api.base import JSONParser, VisiblePrimaryKeyField, validated_input
from crm.api.errors import VersionedUpdateMixin
from crm.choices import BureauKind
from crm.models import Bureau, Enterprise, User
from projects import access, selectors, services
from projects.choices import (
    CapitalKind,
    MilestoneKind,
    Outcome,
    Stage,
    TalentKind,
    TalentStatus,
    manual_stage_targets,
)
from projects.models import (
    CapitalInPlace,
    Condition,
    Document,
    Milestone,
    Opinion,
    Project,
    ReviewRequest,
    ReviewRound,
    StageChange,
    TalentRequest,
)

UPLOAD_PARSERS = [JSONParser, parsers.MultiPartParser]
BLOCKABLE_STAGES = [(s, Stage(s).label) for s in (Stage.SIGNED, Stage.REGISTERED, Stage.CONSTRUCTION,
                                                   Stage.OPERATING)]


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _bureau_people(user) -> QuerySet[User]:
    return crm_access.working_people()


def _partner_bureaus(user) -> QuerySet[Bureau]:
    return Bureau.objects.filter(kind=BureauKind.PARTNER, is_active=True)


# --- read serializers --------------------------------------------------------------------------------


class PrecheckSerializer(serializers.Serializer):
    """One line of the entry pre-check (准入预审), computed now from the figures and the industry's thresholds."""

    label = serializers.CharField()
    actual = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    comparator = serializers.CharField()
    threshold = serializers.DecimalField(max_digits=16, decimal_places=2)
    verdict = serializers.CharField()
    verdict_label = serializers.CharField()


def _blank_choice(choices, **kwargs):
    """A read-only choice that may be empty: declared here because a read-only model field loses `allow_blank`,
    and the schema would then refuse the empty value the record really holds."""
    return serializers.ChoiceField(choices=choices, allow_blank=True, read_only=True, **kwargs)


class StageChangeSerializer(serializers.ModelSerializer):
    from_stage = _blank_choice(Stage.choices)

    class Meta:
        model = StageChange
        fields = ["from_stage", "to_stage", "by", "at", "reason"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "kind", "date", "contract_amount_wan", "credit_code", "note", "recorded_by", "recorded_at"]


class CapitalSerializer(serializers.ModelSerializer):
    class Meta:
        model = CapitalInPlace
        fields = ["id", "date", "kind", "amount_wan", "amount_usd_wan", "usd_cny_rate", "cny_equivalent_wan",
                  "note", "recorded_by", "recorded_at"]


class ConditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Condition
        fields = ["id", "project", "opinion", "text", "owner", "due_on", "blocks_stage", "status", "resolved_by",
                  "resolved_at", "resolution"]


class TalentRequestSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)

    class Meta:
        model = TalentRequest
        fields = ["id", "project", "project_code", "kind", "people", "description", "status", "answer",
                  "answered_by", "answered_at", "created_by", "created_at"]


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "project", "kind", "title", "request", "opinion", "milestone", "capital", "uploaded_by",
                  "uploaded_at"]


class ProjectSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    relation = _blank_choice(Project.Relation.choices)
    paused_from = _blank_choice(Stage.choices)

    class Meta:
        model = Project
        fields = ["id", "code", "name", "enterprise", "enterprise_name", "industry", "area", "description",
                  "total_investment_wan", "fixed_asset_investment_wan", "foreign_capital_usd_wan", "land_mu",
                  "expected_output_wan", "expected_tax_wan", "expected_jobs", "is_key_project", "parent",
                  "relation", "owner", "co_owners", "stage", "paused_from", "stage_changed_at", "version",
                  "created_at", "updated_at"]
        read_only_fields = fields


class ProjectDetailSerializer(ProjectSerializer):
    """A project with its pre-check, stage history, milestones, capital in place, conditions and talent needs."""

    precheck = serializers.SerializerMethodField()
    manual_stage_targets = serializers.SerializerMethodField(
        help_text="Stages the project can be moved to with the stage action now.")
    stage_changes = StageChangeSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    capital_records = CapitalSerializer(many=True, read_only=True)
    conditions = ConditionSerializer(many=True, read_only=True)
    talent_requests = TalentRequestSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "precheck", "manual_stage_targets", "stage_changes", "milestones",
                  "capital_records", "conditions", "talent_requests"]
        read_only_fields = fields

    @extend_schema_field(PrecheckSerializer(many=True))
    def get_precheck(self, project):
        return PrecheckSerializer(selectors.precheck_rows(selectors.project_precheck(project)), many=True).data

    def get_manual_stage_targets(self, project) -> list[str]:
        return sorted(manual_stage_targets(project.stage, project.paused_from))


class ReviewerProjectSerializer(serializers.ModelSerializer):
    """What a partner reviewer may read of a project routed to their bureau: summary, figures, land, pre-check."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    precheck = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "code", "name", "enterprise_name", "industry", "area", "description",
                  "total_investment_wan", "fixed_asset_investment_wan", "foreign_capital_usd_wan", "land_mu",
                  "expected_output_wan", "expected_tax_wan", "expected_jobs", "stage", "precheck"]
        read_only_fields = fields

    @extend_schema_field(PrecheckSerializer(many=True))
    def get_precheck(self, project):
        return PrecheckSerializer(selectors.precheck_rows(selectors.project_precheck(project)), many=True).data


# --- write serializers -------------------------------------------------------------------------------


class ProjectWriteSerializer(serializers.ModelSerializer):
    enterprise = VisiblePrimaryKeyField(crm_access.enterprises_visible_to, queryset=Enterprise.objects.all())
    co_owners = VisiblePrimaryKeyField(_bureau_people, queryset=User.objects.all(), many=True, required=False)

    class Meta:
        model = Project
        fields = [*services.EDITABLE_FIELDS, "co_owners"]


class ProjectUpdateSerializer(ProjectWriteSerializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you read (409 if it changed since).")

    class Meta(ProjectWriteSerializer.Meta):
        fields = [*ProjectWriteSerializer.Meta.fields, "version"]


class StageMoveSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Stage.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="Required to pause or terminate.")


class RoundOpenSerializer(serializers.Serializer):
    bureaus = VisiblePrimaryKeyField(_partner_bureaus, queryset=Bureau.objects.all(), many=True, required=False,
                                     help_text="Partner bureaus to route to; empty or left out: those whose "
                                               "scope applies.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MilestoneInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MilestoneKind.choices)
    date = serializers.DateField()
    contract_amount_wan = serializers.DecimalField(max_digits=14, decimal_places=2, required=False,
                                                   allow_null=True, help_text="For the contract.")
    credit_code = serializers.CharField(max_length=30, required=False, allow_blank=True, default="",
                                        help_text="For the registration: the enterprise's credit code.")
    contract_file = serializers.FileField(required=False, allow_null=True,
                                          help_text="For the contract: the signed contract (multipart).")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CapitalInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=CapitalKind.choices)
    amount_wan = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                          help_text="Domestic capital, 10k CNY.")
    amount_usd_wan = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                              help_text="Foreign capital, 10k USD.")
    usd_cny_rate = serializers.DecimalField(max_digits=8, decimal_places=4, required=False, allow_null=True,
                                            help_text="Foreign capital: CNY per USD on that date.")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    evidence = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                     help_text="Bank slips or a capital verification report (multipart).")


class TalentRequestInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TalentKind.choices)
    people = serializers.IntegerField(min_value=1, max_value=100000)
    description = serializers.CharField()


class DocumentInputSerializer(serializers.Serializer):
    file = serializers.FileField()
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class ReviewRoundSerializer(serializers.ModelSerializer):
    requests = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ReviewRound
        fields = ["id", "project", "number", "opened_by", "opened_at", "superseded_at", "note", "requests"]


# --- projects ----------------------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter(
    "q", OpenApiTypes.STR, description="Words in the code, the name or the enterprise's name.")]))
class ProjectViewSet(VersionedUpdateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Projects (招商项目) of the bureau. A partner reviewer reads a routed project's summary, figures and
    pre-check in its review request (/review-requests/{id}/), as on the pages."""

    serializer_class = ProjectSerializer
    filterset_fields = ["stage", "industry", "owner", "enterprise", "is_key_project", "area"]
    ordering_fields = ["created_at", "code", "name", "total_investment_wan", "stage_changed_at", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        # The working pages' projects (projects.access): as on the pages, a reviewer reads a routed project
        # through its review request, never here.
        search = self.request.query_params.get("q", "") if self.action == "list" else ""
        qs = selectors.project_list(user=self.request.user, search=search).prefetch_related("co_owners")
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch("stage_changes", queryset=StageChange.objects.order_by("at", "id")), "milestones",
                "capital_records", "conditions", "talent_requests__project")
        return qs

    def get_serializer_class(self):
        return {"retrieve": ProjectDetailSerializer, "create": ProjectWriteSerializer,
                "partial_update": ProjectUpdateSerializer}.get(self.action, ProjectSerializer)

    def _writable(self) -> Project:
        """404 when invisible or not an id (a reviewer never changes a project), 403 when the user may not
        change it."""
        project = self.get_object()
        return access.get_project_for_user(self.request.user, project.pk, write=True)

    def _detail(self, project, code=status.HTTP_200_OK):
        project = self.get_queryset().prefetch_related(
            Prefetch("stage_changes", queryset=StageChange.objects.order_by("at", "id")), "milestones",
            "capital_records", "conditions", "talent_requests__project").get(pk=project.pk)
        return Response(ProjectDetailSerializer(project, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ProjectWriteSerializer, responses={201: ProjectDetailSerializer})
    def create(self, request, *args, **kwargs):
        _require(access.can_create_project(request.user))
        data = validated_input(ProjectWriteSerializer, request)
        co_owners = data.pop("co_owners", [])
        project = services.project_create(by=request.user, owner=request.user, co_owners=co_owners, **data)
        return self._detail(project, status.HTTP_201_CREATED)

    @extend_schema(request=ProjectUpdateSerializer, responses={200: ProjectDetailSerializer,
                                                               409: OpenApiResponse(description="Stale version")})
    def partial_update(self, request, *args, **kwargs):
        project = self._writable()
        data = validated_input(ProjectUpdateSerializer, request, partial=True)
        data.pop("version", None)
        version = self.get_client_version(request, project)
        project = services.project_update(project=project, by=request.user, version=version, **data)
        return self._detail(project)

    @extend_schema(request=StageMoveSerializer, responses={200: ProjectDetailSerializer})
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        """Pause, resume or terminate; the other stages follow from review rounds and milestones."""
        project = self._writable()
        data = validated_input(StageMoveSerializer, request)
        if data["to"] not in manual_stage_targets(project.stage, project.paused_from):
            raise exceptions.ValidationError({"to": [_(
                "Choose a stage this project can move to.")]})
        project = services.project_change_stage(project=project, to=data["to"], by=request.user,
                                                reason=data["reason"])
        return self._detail(project)

    @extend_schema(request=RoundOpenSerializer, responses={201: ReviewRoundSerializer})
    @action(detail=True, methods=["post"], url_path="rounds")
    def open_round(self, request, pk=None):
        """Route the project to partner bureaus (会签): one request each, due in its working days."""
        project = self._writable()
        data = validated_input(RoundOpenSerializer, request)
        bureaus = data.get("bureaus") or services.review_round_proposed_bureaus(project=project)
        review_round = services.review_round_open(project=project, by=request.user, bureaus=bureaus,
                                                  note=data["note"])
        return Response(ReviewRoundSerializer(review_round).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"application/json": MilestoneInputSerializer,
                            "multipart/form-data": MilestoneInputSerializer},
                   responses={201: MilestoneSerializer})
    @action(detail=True, methods=["post"], url_path="milestones", parser_classes=UPLOAD_PARSERS)
    def record_milestone(self, request, pk=None):
        """Record a milestone and move the project into its stage (signing needs a cleared review round)."""
        project = self._writable()
        data = validated_input(MilestoneInputSerializer, request)
        milestone = services.milestone_record(project=project, by=request.user, **data)
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"application/json": CapitalInputSerializer,
                            "multipart/form-data": CapitalInputSerializer},
                   responses={201: CapitalSerializer})
    @action(detail=True, methods=["post"], url_path="capital", parser_classes=UPLOAD_PARSERS)
    def record_capital(self, request, pk=None):
        """Record capital actually in place (实际到位资金) on a date."""
        project = self._writable()
        data = validated_input(CapitalInputSerializer, request)
        record = services.capital_record(project=project, by=request.user, **data)
        return Response(CapitalSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TalentRequestInputSerializer, responses={201: TalentRequestSerializer})
    @action(detail=True, methods=["post"], url_path="talent-requests")
    def add_talent_request(self, request, pk=None):
        """Record the enterprise's talent need (人才诉求) and route it to the talent bureau."""
        project = self._writable()
        data = validated_input(TalentRequestInputSerializer, request)
        talent = services.talent_request_create(project=project, by=request.user, **data)
        return Response(TalentRequestSerializer(talent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": DocumentInputSerializer}, responses={201: DocumentSerializer})
    @action(detail=True, methods=["post"], url_path="documents", parser_classes=[parsers.MultiPartParser])
    def add_document(self, request, pk=None):
        """Add project material for the reviewers (size, type and content are checked)."""
        project = self._writable()
        data = validated_input(DocumentInputSerializer, request)
        document = services.document_add(project=project, by=request.user, kind="material", file=data["file"],
                                         title=data["title"] or None)
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


# --- review requests and opinions ----------------------------------------------------------------------


class OpinionConditionSerializer(serializers.ModelSerializer):
    """A condition as the opinion states it (who carries it out is on /conditions/, for the bureau's people)."""

    class Meta:
        model = Condition
        fields = ["text", "due_on", "blocks_stage", "status"]
        read_only_fields = fields


class OpinionSerializer(serializers.ModelSerializer):
    bureau = serializers.IntegerField(source="request.bureau_id", read_only=True)
    reviewer_name = serializers.CharField(source="reviewer.display_name", read_only=True)
    conditions = OpinionConditionSerializer(many=True, read_only=True)

    class Meta:
        model = Opinion
        fields = ["id", "request", "bureau", "version", "outcome", "reason", "reviewer", "reviewer_name",
                  "submitted_at", "conditions"]
        read_only_fields = fields


class ReviewRequestSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="round.project_id", read_only=True)
    project_code = serializers.CharField(source="round.project.code", read_only=True)
    project_name = serializers.CharField(source="round.project.name", read_only=True)
    round_number = serializers.IntegerField(source="round.number", read_only=True)
    round_is_current = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()
    outcome = _blank_choice(Outcome.choices, help_text="The current opinion; empty while pending.")

    class Meta:
        model = ReviewRequest
        fields = ["id", "project", "project_code", "project_name", "round", "round_number", "round_is_current",
                  "bureau", "status", "requested_at", "due_on", "due_is_estimate", "outcome", "answered_at",
                  "is_overdue"]
        read_only_fields = fields

    def get_round_is_current(self, request) -> bool:
        return request.round.superseded_at is None

    def get_is_overdue(self, request) -> bool:
        return (request.status == "pending" and request.round.superseded_at is None
                and request.due_on < timezone.localdate())


class ReviewRequestDetailSerializer(ReviewRequestSerializer):
    """A request with what its reviewer needs: the project, its pre-check, the documents and the round's
    opinions (every version, oldest first)."""

    project_summary = serializers.SerializerMethodField()
    round_opinions = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    class Meta(ReviewRequestSerializer.Meta):
        fields = [*ReviewRequestSerializer.Meta.fields, "project_summary", "round_opinions", "documents"]
        read_only_fields = fields

    @extend_schema_field(ReviewerProjectSerializer)
    def get_project_summary(self, request):
        return ReviewerProjectSerializer(request.round.project, context=self.context).data

    @extend_schema_field(OpinionSerializer(many=True))
    def get_round_opinions(self, request):
        user = self.context["request"].user
        opinions = (access.opinions_visible_to(user).filter(request__round_id=request.round_id)
                    .select_related("reviewer", "request").prefetch_related("conditions")
                    .order_by("request__bureau__sort_order", "request_id", "version"))
        return OpinionSerializer(opinions, many=True, context=self.context).data

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, request):
        user = self.context["request"].user
        documents = access.documents_visible_to(user).filter(project_id=request.round.project_id)
        return DocumentSerializer(documents.order_by("uploaded_at", "id"), many=True).data


class ConditionInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=500)
    due_on = serializers.DateField()
    blocks_stage = serializers.ChoiceField(choices=BLOCKABLE_STAGES, default=Stage.CONSTRUCTION)


class OpinionInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="Required for anything but a plain agree.")
    conditions = ConditionInputSerializer(many=True, required=False, default=list,
                                          help_text="For an agree with conditions.")
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                        help_text="Files of the opinion (multipart).")


class ReturnMaterialSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ReviewRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Review requests (会签事项): a partner reviewer sees their bureau's, the bureau's people all of them."""

    serializer_class = ReviewRequestSerializer
    filterset_fields = {"status": ["exact"], "bureau": ["exact"], "round__project": ["exact"],
                        "due_on": ["gte", "lte"], "outcome": ["exact"]}
    ordering_fields = ["due_on", "requested_at", "id"]
    ordering = ["due_on", "id"]

    def get_queryset(self):
        return access.review_requests_visible_to(self.request.user).select_related(
            "round__project__enterprise", "bureau")

    def get_serializer_class(self):
        return ReviewRequestDetailSerializer if self.action == "retrieve" else ReviewRequestSerializer

    def _respond(self, review_request, code=status.HTTP_200_OK):
        review_request = self.get_queryset().get(pk=review_request.pk)
        return Response(ReviewRequestDetailSerializer(review_request, context=self.get_serializer_context()).data,
                        status=code)

    def _opinion(self, request, service):
        review_request = self.get_object()
        _require(crm_access.is_reviewer(request.user))
        data = validated_input(OpinionInputSerializer, request)
        conditions = [services.ConditionInput(**c) for c in data["conditions"]]
        service(request=review_request, by=request.user, outcome=data["outcome"], reason=data["reason"],
                conditions=conditions, attachments=data["attachments"])
        return self._respond(review_request, status.HTTP_201_CREATED)

    @extend_schema(request={"application/json": OpinionInputSerializer,
                            "multipart/form-data": OpinionInputSerializer},
                   responses={201: ReviewRequestDetailSerializer})
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def answer(self, request, pk=None):
        """Your bureau's opinion on a pending request: agree, agree with conditions, disagree, needs material."""
        return self._opinion(request, services.opinion_submit)

    @extend_schema(request={"application/json": OpinionInputSerializer,
                            "multipart/form-data": OpinionInputSerializer},
                   responses={201: ReviewRequestDetailSerializer})
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def amend(self, request, pk=None):
        """A new version of your bureau's answer; the earlier one stays as it was."""
        return self._opinion(request, services.opinion_amend)

    @extend_schema(request={"application/json": ReturnMaterialSerializer,
                            "multipart/form-data": ReturnMaterialSerializer},
                   responses={200: ReviewRequestDetailSerializer})
    @action(detail=True, methods=["post"], url_path="material", parser_classes=UPLOAD_PARSERS)
    def return_material(self, request, pk=None):
        """Send the material a bureau asked for back to it; its due date restarts from today."""
        review_request = self.get_object()
        access.get_project_for_user(request.user, review_request.round.project_id, write=True)
        data = validated_input(ReturnMaterialSerializer, request)
        services.review_request_return_material(request=review_request, by=request.user, note=data["note"],
                                                files=data["files"])
        return self._respond(review_request)


class OpinionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Submitted opinions (会签意见), every version; none can be changed or deleted (amend the request instead)."""

    serializer_class = OpinionSerializer
    filterset_fields = {"request": ["exact"], "request__round__project": ["exact"], "outcome": ["exact"]}
    ordering_fields = ["submitted_at", "id"]
    ordering = ["request", "version"]

    def get_queryset(self):
        return (access.opinions_visible_to(self.request.user).select_related("reviewer", "request")
                .prefetch_related("conditions"))


# --- conditions, talent requests, documents -------------------------------------------------------------


class ResolutionSerializer(serializers.Serializer):
    resolution = serializers.CharField(help_text="How the condition was met, or why it is waived.")


class ConditionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Conditions (附加条件) set by agree-with-conditions opinions; each blocks one stage until closed or waived."""

    serializer_class = ConditionSerializer
    filterset_fields = ["project", "status", "blocks_stage"]
    ordering_fields = ["due_on", "id"]
    ordering = ["due_on", "id"]

    def get_queryset(self):
        return access.conditions_visible_to(self.request.user)

    def _resolvable(self) -> Condition:
        condition = self.get_object()
        access.get_project_for_user(self.request.user, condition.project_id, write=True)
        return condition

    @extend_schema(request=ResolutionSerializer, responses={200: ConditionSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        condition = self._resolvable()
        data = validated_input(ResolutionSerializer, request)
        condition = services.condition_close(condition=condition, by=request.user, resolution=data["resolution"])
        return Response(ConditionSerializer(condition).data)

    @extend_schema(request=ResolutionSerializer, responses={200: ConditionSerializer})
    @action(detail=True, methods=["post"])
    def waive(self, request, pk=None):
        """A leader lifts the condition without it being met."""
        condition = self.get_object()
        _require(crm_access.is_leader(request.user))
        data = validated_input(ResolutionSerializer, request)
        condition = services.condition_waive(condition=condition, by=request.user, reason=data["resolution"])
        return Response(ConditionSerializer(condition).data)


class TalentAnswerSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[c for c in TalentStatus.choices if c[0] != TalentStatus.OPEN])
    answer = serializers.CharField()


class TalentRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Talent requests (人才诉求): the bureau's people and the talent bureau's reviewers see them."""

    serializer_class = TalentRequestSerializer
    filterset_fields = ["project", "status", "kind"]
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return access.talent_requests_visible_to(self.request.user).select_related("project")

    @extend_schema(request=TalentAnswerSerializer, responses={200: TalentRequestSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """The talent bureau's answer (it may be updated as the case progresses)."""
        talent = self.get_object()
        _require(crm_access.is_reviewer(request.user))
        data = validated_input(TalentAnswerSerializer, request)
        talent = services.talent_request_answer(talent_request=talent, by=request.user, **data)
        return Response(TalentRequestSerializer(talent).data)


class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Documents of projects, as the user may open them (a reviewer never sees contracts or capital evidence)."""

    serializer_class = DocumentSerializer
    filterset_fields = ["project", "kind", "request"]
    ordering_fields = ["uploaded_at", "id"]
    ordering = ["uploaded_at", "id"]

    def get_queryset(self):
        return access.documents_visible_to(self.request.user)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        document = self.get_object()
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1],
                            content_type="application/octet-stream")


def register(router) -> None:
    router.register("projects", ProjectViewSet, basename="project")
    router.register("review-requests", ReviewRequestViewSet, basename="review-request")
    router.register("opinions", OpinionViewSet, basename="opinion")
    router.register("conditions", ConditionViewSet, basename="condition")
    router.register("talent-requests", TalentRequestViewSet, basename="talent-request")
    router.register("documents", DocumentViewSet, basename="document")
