"""/api/v1/: one router; each app (and sub-app such as awards) registers its endpoints in
`<app>/api.py` with `register(router)`."""

from importlib import import_module

from django.apps import apps
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from crm.api import schema, views  # noqa: F401  (schema registers the token scheme)
from crm.navigation import NAV_APPS

app_name = "api"

router = DefaultRouter()
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("bureaus", views.BureauViewSet, basename="bureau")
router.register("industries", views.IndustryViewSet, basename="industry")

# The product's apps, sub-apps included (awards, aftercare), in INSTALLED_APPS order.
PRODUCT_PACKAGES = {name.split(".")[0] for name in NAV_APPS}
API_APPS = [config.name for config in apps.get_app_configs()
            if config.name.split(".")[0] in PRODUCT_PACKAGES and config.name != "crm"]

for app in API_APPS:
    try:
        module = import_module(f"{app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.api":
            raise
        continue
    module.register(router)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
