"""The Celery application.

Configuration is read from Django settings (``CELERY_*``); see
``kpi_portal/settings/base.py`` for serialisation, time limits and ``acks_late``.
"""

import os

from celery import Celery

# Like wsgi.py and asgi.py: a worker started without the variable runs with the production settings
# (which refuse to start without their secrets), never with DEBUG and the known local key.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpi_portal.settings.production")

app = Celery("kpi_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
