"""The catalog's item in the navigation bar (see ``org.menu``)."""

from django.utils.translation import gettext_lazy as _

from org.menu import Item, register

register(
    Item(
        "catalog",
        _("Task catalog"),
        "catalog:index",
        order=20,
        perm="catalog.browse_catalog",
        sections=("catalog",),
    )
)
