"""The REST root: one router, each domain package registers its endpoints in ``api.py``."""

import importlib
import importlib.util

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

API_MODULES = ("ivp.plans.api", "ivp.catalogue.api", "ivp.datasets.api", "ivp.analysis.api")

router = DefaultRouter()
for module_name in API_MODULES:
    if importlib.util.find_spec(module_name) is not None:
        importlib.import_module(module_name).register(router)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include(router.urls)),
]
