"""ASGI entry point, served by uvicorn (`jewelguard serve`)."""

import os
import warnings

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jewelguard.settings")
# WhiteNoise streams static files from a synchronous iterator, which Django's ASGI handler
# consumes in a thread and warns about on every file. That is fine for the embedded default;
# a scaled deployment serves /static/ from its reverse proxy.
warnings.filterwarnings(
    "ignore",
    message="StreamingHttpResponse must consume synchronous iterators",
    category=Warning,
)
application = get_asgi_application()
