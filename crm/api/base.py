"""What every API endpoint shares: authentication, throttling, permissions and pagination.

Endpoints are interfaces like the pages: they use the same visibility querysets (crm.access and each app's
selectors) and the same services, so no business rule is written twice.
"""

import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, pagination, parsers, permissions, serializers, throttling

from crm import audit
from crm.api.tokens import api_token_check
from crm.models import ApiToken

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>` with a key its owner made; 401 with a challenge otherwise."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        token = api_token_check(header[1].decode(errors="ignore"))
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class TokenWriteAuditMiddleware:
    """Record every write made with an API token in the security audit log: the token's owner as the actor, the
    token's name, the method, path and answer.

    A token acts as its owner without a second factor, so what it changed must be traceable to the token and not
    only to the person. DRF authenticates inside the view and leaves the token on the request (`request.auth`),
    so this runs after the answer; it sits inside security's middleware, which supplies the address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token = getattr(request, "auth", None)
        if request.method in WRITE_METHODS and isinstance(token, ApiToken):
            status = response.status_code
            result = "success" if status < 400 else "denied" if status in (401, 403, 404) else "failure"
            audit.record(action=audit.API_WRITE, target=token, actor=token.user, result=result,
                         detail={"token": token.name, "method": request.method, "path": request.path[:300],
                                 "status": status})
        return response


_SURROGATE = re.compile("[\ud800-\udfff]")


def _first_surrogate_path(data) -> str | None:
    """Where a lone surrogate (a ``\\ud800`` escape) sits in parsed JSON: its top-level field, or ``None``.

    Iterative, as the data may be nested as deep as the parser allowed."""
    pending = [(key, value) for key, value in data.items()] if isinstance(data, dict) \
        else [("non_field_errors", data)]
    if any(_SURROGATE.search(field) for field, _value in pending):
        return "non_field_errors"  # a field's name cannot be shown back, so the error is the whole body's
    while pending:
        field, value = pending.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return field
        elif isinstance(value, dict):
            for key, item in value.items():
                if _SURROGATE.search(key):
                    return field
                pending.append((field, item))
        elif isinstance(value, list):
            pending.extend((field, item) for item in value)
    return None


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, answering 400 instead of failing on what no field can hold.

    JSON nested too deeply overflows the parser's recursion (a RecursionError, not a ValueError), and a
    ``\\ud800`` escape yields a lone surrogate that no database or UTF-8 text can store; both are the client's
    error. Strings are checked once here so every endpoint refuses them alike, naming the field.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("JSON parse error - the document is nested too deeply.")) from None
        field = _first_surrogate_path(data)
        if field is not None:
            raise exceptions.ValidationError({field: [_("This text holds an invalid character (a lone UTF-16 "
                                                        "surrogate); send it as UTF-8.")]})
        return data


class TokenClientThrottle(throttling.SimpleRateThrottle):
    """Rate limit for token clients (other systems); people using the pages with a session are not limited."""

    scope = "token"

    def get_rate(self):
        return settings.API_TOKEN_THROTTLE_RATE

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class IsActiveUser(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_active)


class Pagination(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200


class VisiblePrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A reference by id that accepts only what the caller may see (`visible(user)` is an access queryset).

    An invisible id is refused like one that does not exist, so a write cannot reveal or reach a hidden record.
    `queryset` stays the model's full queryset for the schema; lookups go through `visible`.
    """

    def __init__(self, visible, **kwargs):
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.visible(request.user if request else None)


def validated_input(serializer_class, request, *, partial: bool = False, **context) -> dict:
    """The validated body of an action (400 with field messages otherwise), for passing to a service."""
    serializer = serializer_class(data=request.data, partial=partial, context={"request": request, **context})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
