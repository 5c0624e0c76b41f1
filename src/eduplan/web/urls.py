"""Top-level URLs: the ledger pages, its API, auth, admin and language switching."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("eduplan.ledger.api_urls")),
    path("", include("eduplan.ledger.urls")),
]
