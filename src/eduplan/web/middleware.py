"""Language: Simplified Chinese unless the user picked another one (the language cookie set by /i18n/setlang/).

Django's LocaleMiddleware would also follow the browser's Accept-Language, so an English-configured browser
in the bureau would get English pages nobody asked for.
"""

from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        with translation.override(language):  # the thread's language is back as it was once the page is made
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class UploadCapMiddleware:
    """Refuse a request body far over the upload cap before Django spools it to disk, with a clear page."""

    SLACK = 256 * 1024  # form fields and multipart boundaries around the file itself

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_UPLOAD_BYTES + self.SLACK:
            from django.http import HttpResponse

            from eduplan.limits import size_and_limit

            message = "上传内容过大（{size}），上限为 {limit}，未保存任何内容。".format(**size_and_limit(
                length, settings.MAX_UPLOAD_BYTES))
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Sign a user out after IDLE_TIMEOUT_SECONDS without a request (audit L3). The last request's time is
    written to the session at most once a minute, not on every page."""

    REFRESH = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        from django.contrib.auth import logout

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            seen = request.session.get("seen", now)
            if now - seen > settings.IDLE_TIMEOUT_SECONDS:
                logout(request)  # the page then asks to sign in, as for anyone signed out
            elif now - seen >= self.REFRESH or "seen" not in request.session:
                request.session["seen"] = now
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """A Content-Security-Policy with no inline script (every script is a file of this site), Permissions-
    Policy, and no-store on every page a signed-in user gets: personal data stays out of shared caches and
    the browser's history cache (audit L3). A response that set its own (evidence downloads) keeps it."""

    POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
              "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
              "frame-ancestors 'none'")
    PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.POLICY)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store, private"
        return response


class AccessLogMiddleware:
    """A line per request to the `eduplan.access` logger (var/log/access.log when logs are on): address,
    user, method, path, status, bytes, milliseconds. Nothing is formatted when no handler listens."""

    def __init__(self, get_response):
        import logging

        self.get_response = get_response
        self.log = logging.getLogger("eduplan.access")

    def __call__(self, request):
        import time

        if not self.log.isEnabledFor(20):  # INFO
            return self.get_response(request)
        started = time.monotonic()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        name = user.get_username() if user is not None and user.is_authenticated else "-"
        size = len(response.content) if not response.streaming else "-"
        self.log.info("%s %s %s %s %s %s %.0fms", request.META.get("REMOTE_ADDR", "-"), name, request.method,
                      request.get_full_path()[:500], response.status_code, size,
                      (time.monotonic() - started) * 1000)
        return response
