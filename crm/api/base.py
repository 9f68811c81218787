"""What every API endpoint shares: authentication, throttling, permissions and pagination.

Endpoints are interfaces like the pages: they use the same visibility querysets (crm.access and each app's
selectors) and the same services, so no business rule is written twice.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, pagination, permissions, serializers, throttling

from crm.api.tokens import api_token_check
from crm.models import ApiToken


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>` with a key an administrator issued; 401 with a challenge otherwise."""

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
