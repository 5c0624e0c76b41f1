"""WSGI entry point for `eduplan serve` and any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eduplan.web.settings")
os.environ.setdefault("EDUPLAN_LOGS", "1")  # access and error logs under var/log (settings.py)
application = get_wsgi_application()
