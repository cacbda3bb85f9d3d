from django.db.models import Prefetch

from .models import EntryFlag


def open_flags() -> Prefetch:
    """Prefetch an entry's open flags into ``entry.open_flags`` (one query for a whole list of entries)."""
    return Prefetch("flags", queryset=EntryFlag.objects.open().order_by("kind"), to_attr="open_flags")
