"""API endpoints of the statistics: the whole report of any period as JSON, as the dashboard shows it.

The figures come from reports.services.report_for_period (a published month answers with its snapshot, so a
partner system reads the same published numbers as the dashboard); who may read them is reports.access, as on the
pages: the bureau's people read everything, a partner reviewer only their own bureau's turnaround.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reports import access, cache, services
from reports.indicators import PeriodError, make_period


class PeriodQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=9999, required=False,
                                    help_text="The calendar year (Asia/Shanghai); this year when left out.")
    month = serializers.IntegerField(min_value=1, max_value=12, required=False,
                                     help_text="January to this month (1-M月累计); the whole year, or up to the "
                                               "current month, when left out.")


def _json(value) -> dict:
    """Decimals as exact strings and dates as ISO text, as everywhere in the API (never floats for money)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _period(request) -> dict:
    query = PeriodQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    return {"year": data.get("year", timezone.localdate().year), "through_month": data.get("month")}


def _period_error(exc: PeriodError) -> exceptions.ValidationError:
    return exceptions.ValidationError({"month": [str(exc)]})


class StatisticsViewSet(viewsets.ViewSet):
    """Annual attraction statistics (年度招商统计) of January to a month of a year."""

    @extend_schema(parameters=[PeriodQuerySerializer], responses={200: OpenApiResponse(
        OpenApiTypes.OBJECT, description="Indicators with targets, completion and year-on-year growth, their "
                                         "breakdowns, the exception lists, the major projects, the restatements "
                                         "of a published month and the briefing paragraph (docs/statistics.md).")})
    def list(self, request):
        access.require_statistics(request.user)
        period = _period(request)
        try:
            report = cache.cached_report(year=period["year"], through_month=period["through_month"])
        except PeriodError as exc:
            raise _period_error(exc) from exc
        return Response(_json(report))

    @extend_schema(parameters=[PeriodQuerySerializer], responses={200: OpenApiResponse(
        OpenApiTypes.OBJECT, description="Your bureau's review turnaround in the period: requests answered, "
                                         "on time, average working days.")})
    @action(detail=False, methods=["get"])
    def turnaround(self, request):
        """A partner reviewer's own bureau's turnaround, the one figure of the statistics a bureau sees."""
        access.require_reviewer(request.user)
        period = _period(request)
        try:
            reporting_period = make_period(period["year"], period["through_month"], today=timezone.localdate())
        except PeriodError as exc:
            raise _period_error(exc) from exc
        return Response(_json(services.bureau_turnaround(bureau_id=request.user.bureau_id, period=reporting_period)))


def register(router) -> None:
    router.register("statistics", StatisticsViewSet, basename="statistics")
