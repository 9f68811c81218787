"""API errors as JSON (400 with field messages, 401, 403, 404, 409 for a stale edit, 413 for a body over the
size limit) and the version guard."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from crm.services import StaleEdit


def _django_validation_detail(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def exception_handler(exc, context):
    """JSON errors: 400 with field messages, 401, 403, 404, 409 with the current version for a stale edit."""
    if isinstance(exc, StaleEdit):
        serializer_class = getattr(context.get("view"), "serializer_class", None)
        current = serializer_class(exc.current, context=context).data if serializer_class else None
        return Response({"detail": str(exc.messages[0]), "current": current}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        return Response(_django_validation_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        # Django refuses a body beyond DATA_UPLOAD_MAX_MEMORY_SIZE; a client of the API reads the reason as JSON.
        limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1048576:g}"
        return Response({"detail": _("The request body is larger than %(limit)s MB, the most the API reads; send "
                                     "files as multipart uploads.") % {"limit": limit}},
                        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)


class VersionedUpdateMixin:
    """PATCH/PUT must carry the `version` the client read; a newer stored version answers 409."""

    def get_client_version(self, request, instance):
        version = request.data.get("version")
        if version in (None, ""):
            raise exceptions.ValidationError({"version": [_("Send the version you read; it guards against "
                                                            "overwriting someone else's change.")]})
        try:
            return int(version)
        except (TypeError, ValueError):
            raise exceptions.ValidationError({"version": [_("A version is a whole number.")]}) from None
