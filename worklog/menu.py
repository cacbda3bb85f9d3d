"""The diary's item in the navigation bar (see ``org.menu``)."""

from django.utils.translation import gettext_lazy as _

from org.menu import Item, register

register(
    Item(
        "worklog",
        _("Work diary"),
        "worklog:index",
        order=10,
        perm="worklog.keep_diary",
        sections=("worklog",),
    )
)
