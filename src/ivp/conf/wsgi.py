"""WSGI entry point; production uses ``ivp.conf.production``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ivp.conf.production")
application = get_wsgi_application()
