from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "ivp.api"
    label = "api"
    verbose_name = _("API")

    # The OpenAPI security scheme (ivp.api.schema) is registered by ivp.api.urls, which
    # every schema generation loads: importing drf-spectacular here would cost every
    # process (the CLI too) a tenth of a second at start-up (ADR 0022).
