"""What the diary announces, for the apps above it (evidence, reports) to subscribe to."""

from django.dispatch import Signal

# Sent inside the submitting transaction with ``entries``: the entries just submitted.
# The evidence cross-check connects to it, so its flags are saved with the submission.
entries_submitted = Signal()
