from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from health_check.views import HealthCheckView

from org.forms import LoginForm
from org.views import home

from .health import health_checks
from .metrics import metrics

urlpatterns = [
    path("", home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("org.urls")),
    path("catalog/", include("catalog.urls")),
    path("diary/", include("worklog.urls")),
    path("assignments/", include("worklog.assignment_urls")),
    path("review/", include("review.urls")),
    path("review/", include("evaluation.urls")),
    path("reports/annual/", include("reports.annual_urls")),
    path("reports/", include("reports.urls")),
    path("api/", include("api.urls")),
    path("evidence/", include("evidence.urls")),
    path("admin/", admin.site.urls),
    path("healthz/", HealthCheckView.as_view(checks=health_checks()), name="healthz"),
    path("metrics", metrics, name="metrics"),
]

if getattr(settings, "OIDC_ENABLED", False):
    # Sign-in through the province's identity provider (kpi_portal/settings/directory.py).
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

admin.site.site_header = "KPI Portal"
admin.site.site_title = "KPI Portal"
