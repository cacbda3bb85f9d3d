"""The assignments' item in the navigation bar (see ``org.menu``)."""

from django.utils.translation import gettext_lazy as _

from org.menu import Item, register

register(
    Item(
        "assignments",
        _("Assignments"),
        "assignments:index",
        order=12,
        perm="assignments.list_assignments",
        sections=("assignments",),
    )
)
