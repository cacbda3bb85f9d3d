"""The reports' item in the navigation bar (see ``org.menu``)."""

from django.utils.translation import gettext_lazy as _

from org.menu import Item, register

register(
    Item(
        "reports", _("Reports"), "reports:index", order=50, perm="reports.view_reports", sections=("reports",)
    ),
    Item(
        "province_sent",
        _("Sent to Home Affairs"),
        "reports:province_sent",
        order=51,
        perm="reports.view_province_sent",
    ),
)
