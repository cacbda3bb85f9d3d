"""The project package as an app: its management commands (backup, restore) and its metrics."""

from django.apps import AppConfig


class KpiPortalConfig(AppConfig):
    name = "kpi_portal"
    verbose_name = "KPI Portal"

    def ready(self) -> None:
        from . import metrics

        metrics.install()
