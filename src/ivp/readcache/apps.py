from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadCacheConfig(AppConfig):
    name = "ivp.readcache"
    label = "readcache"
    verbose_name = _("Leescache")
