"""The review queue's item in the navigation bar (see ``org.menu``).

It shares its key with the evaluations' item: a reviewer's one tab for reviewing and scoring.
"""

from django.utils.translation import gettext_lazy as _

from org.menu import Item, register

register(
    Item(
        "evaluation",
        _("Review"),
        "review:queue",
        order=30,
        perm="review.review_entries",
        sections=("review", "evaluation"),
    )
)
