"""Announcements of the organisation layer, for the apps above it to subscribe to.

Lower apps never call higher ones: they announce, and ``reports`` (or whoever
needs to know) connects a receiver in its ``AppConfig.ready``.
"""

from django.dispatch import Signal

# Sent after the commit of a transaction that marked agency-months stale
# (``org.figures.months_changed``), with ``months``: a set of (agency id, first day of month).
figures_changed = Signal()
