"""Top-level URLs: the ledger pages, its API, auth, admin and language switching."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve as serve_file

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),  # browsers ask here
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("eduplan.ledger.api_urls")),
    # evidence attachments: logged-in users only (paths are unguessable per upload month and name)
    re_path(r"^media/(?P<path>.+)$", login_required(serve_file), {"document_root": settings.MEDIA_ROOT}),
    path("dashboard/", include("eduplan.dashboard.urls")),
    path("indicators/", include("eduplan.monitoring.urls")),
    path("reports/", include("eduplan.reports.urls")),
    path("", include("eduplan.followup.urls")),  # 我的待办, 批示, 通报… (the weekly 督办 work)
    path("", include("eduplan.ledger.urls")),
]
