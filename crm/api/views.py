"""API endpoints of the shared core: enterprises, contacts and reference data."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import mixins, viewsets

from crm import access, services
from crm.api.errors import VersionedUpdateMixin
from crm.api.serializers import (
    BureauSerializer,
    ContactSerializer,
    EnterpriseSerializer,
    EnterpriseWriteSerializer,
    IndustrySerializer,
)
from crm.models import Bureau, Enterprise, Industry


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="name or credit code")

    class Meta:
        model = Enterprise
        fields = ["kind", "industry", "credit_code"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value.upper()))


class EnterpriseViewSet(VersionedUpdateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """The enterprise register, as the user may see it; writes go through crm.services."""

    filterset_class = EnterpriseFilter
    ordering_fields = ["name", "updated_at", "registered_capital_wan", "id"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return access.enterprises_visible_to(self.request.user).select_related("industry").prefetch_related(
            "key_industries")

    def get_serializer_class(self):
        return EnterpriseWriteSerializer if self.action in ("create", "update", "partial_update") \
            else EnterpriseSerializer

    serializer_class = EnterpriseSerializer

    def perform_create(self, serializer):
        if not access.can_create_enterprise(self.request.user):
            raise PermissionDenied
        data = dict(serializer.validated_data)
        data.pop("version", None)
        key_industries = data.pop("key_industries", [])
        serializer.instance = services.enterprise_create(by=self.request.user, key_industries=key_industries,
                                                         **data)

    def perform_update(self, serializer):
        enterprise = serializer.instance
        if not access.can_edit_enterprise(self.request.user, enterprise):
            raise PermissionDenied
        data = dict(serializer.validated_data)
        data.pop("version", None)
        key_industries = data.pop("key_industries", None)
        version = self.get_client_version(self.request, enterprise)
        serializer.instance = services.enterprise_update(enterprise=enterprise, by=self.request.user,
                                                         version=version, key_industries=key_industries, **data)


class ContactViewSet(VersionedUpdateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = ContactSerializer
    filterset_fields = ["enterprise"]
    ordering_fields = ["name", "id"]
    ordering = ["id"]

    def get_queryset(self):
        return access.contacts_visible_to(self.request.user).select_related("enterprise")

    def perform_create(self, serializer):
        enterprise = serializer.validated_data["enterprise"]
        if not access.enterprises_visible_to(self.request.user).filter(pk=enterprise.pk).exists():
            raise Http404
        if not access.can_edit_enterprise(self.request.user, enterprise):
            raise PermissionDenied
        data = dict(serializer.validated_data)
        data.pop("enterprise")
        data.pop("version", None)
        serializer.instance = services.contact_create(enterprise=enterprise, **data)

    def perform_update(self, serializer):
        if not access.can_edit_enterprise(self.request.user, serializer.instance.enterprise):
            raise PermissionDenied
        data = dict(serializer.validated_data)
        data.pop("enterprise", None)
        data.pop("version", None)
        version = self.get_client_version(self.request, serializer.instance)
        serializer.instance = services.contact_update(contact=serializer.instance, version=version, **data)


class BureauViewSet(viewsets.ReadOnlyModelViewSet):
    """The bureaus and their review scopes (reference data every role may read)."""

    serializer_class = BureauSerializer
    queryset = Bureau.objects.filter(is_active=True)
    pagination_class = None


class IndustryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = IndustrySerializer
    queryset = Industry.objects.all()
    pagination_class = None


