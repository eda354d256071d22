"""ASGI entry point, served by uvicorn (`jewelguard serve`)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jewelguard.settings")
application = get_asgi_application()
