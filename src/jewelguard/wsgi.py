"""WSGI entry point, for hosts that only speak WSGI (live updates then need ASGI elsewhere)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jewelguard.settings")
application = get_wsgi_application()
