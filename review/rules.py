"""Who uses the review queue, as a django-rules predicate on ``org.selectors.access_scope``.

Whether one entry is the user's to approve or return is the diary's rule (``worklog.review_entry``):
``worklog.lifecycle``, the one owner of an entry's status, asks it too.
"""

import rules

from org.rules import reviews_someone

rules.add_perm("review.review_entries", rules.is_active & reviews_someone)
