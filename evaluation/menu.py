"""The evaluations' item in the navigation bar (see ``org.menu``); a reviewer gets the review queue's."""

from django.utils.translation import gettext_lazy as _

from org.menu import Item, register

register(
    Item(
        "evaluation",
        _("Evaluation"),
        "evaluation:mine",
        order=31,
        perm="evaluation.view_evaluations",
        sections=("evaluation",),
    )
)
