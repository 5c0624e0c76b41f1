"""Top-level URLs: the ledger pages, its API, auth, admin and language switching."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from eduplan.ledger.evidence_views import legacy_media
from eduplan.ledger.forms import LoginForm

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),  # browsers ask here
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("eduplan.ledger.api_urls")),
    # Evidence files are never served from their folder: links of old pages go to the checked download view.
    re_path(r"^media/(?P<path>.+)$", legacy_media),
    path("dashboard/", include("eduplan.dashboard.urls")),
    path("indicators/", include("eduplan.monitoring.urls")),
    path("reports/", include("eduplan.reports.urls")),
    path("", include("eduplan.followup.urls")),  # 我的待办, 批示, 通报… (the weekly 督办 work)
    path("", include("eduplan.ledger.urls")),
]

handler404 = "eduplan.web.errors.not_found"
