"""Reads of dashboards, exports and PDF downloads from a read replica (docs/scaling.md).

Nothing goes to the replica unless both are true:

- ``DATABASE_REPLICA_URL`` is set, so the ``replica`` database alias exists (settings/base.py);
- the code runs inside ``use_replica()``, which only the read-only GET views of reports wrap
  around their work (``replica_reads``).

Writes always go to ``default``. A read inside a transaction on ``default`` stays there too (the
transaction may have written what it reads), and so does every request of a user for a few seconds
after they changed something the pages show (``pin_primary``): a replica may be seconds behind. A
replica that refuses the connection is logged and the page reads default.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
# Set in the session by a view that wrote something the reports show (pin_primary).
PIN_SESSION_KEY = "db_primary_until"

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in connections


def reading_replica() -> bool:
    """True inside ``use_replica()`` (whether or not a replica is configured)."""
    return _reading_replica.get()


@contextlib.contextmanager
def use_replica() -> Iterator[None]:
    """Reads inside go to the replica when one is configured; writes still go to ``default``."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def replica_reachable() -> bool:
    """False when a replica is configured but refuses the connection: its readers read default then."""
    if not replica_configured():
        return True
    try:
        connections[REPLICA].ensure_connection()
    except OperationalError:
        logger.warning("The read replica is unreachable: reports read the primary database.", exc_info=True)
        return False
    return True


def pin_primary(request) -> None:
    """The user's next reports read ``default`` for a while: they see what they have just changed."""
    request.session[PIN_SESSION_KEY] = time.time() + settings.DATABASE_REPLICA_PIN_SECONDS


def _pinned(request) -> bool:
    session = getattr(request, "session", None)
    return session is not None and session.get(PIN_SESSION_KEY, 0) > time.time()


def replica_reads(view: Callable[..., Any]) -> Callable[..., Any]:
    """Runs a GET (or HEAD) view inside ``use_replica()``; any other method reads ``default``.

    Put it under ``login_required``: the session and the signed-in user are read from ``default``.
    The view must render its response before it returns (``render``, not a lazy TemplateResponse).
    """

    @functools.wraps(view)
    def wrapped(request, *args: Any, **kwargs: Any) -> Any:
        if request.method not in ("GET", "HEAD") or _pinned(request) or not replica_reachable():
            return view(request, *args, **kwargs)
        with use_replica():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Django's database router (``DATABASE_ROUTERS``); with no replica it changes nothing."""

    def db_for_read(self, model, **hints: Any) -> str:
        if (
            _reading_replica.get()
            and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        # Explicit: an object read from the replica does not draw its related objects from there
        # (Django's fallback) once outside use_replica().
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints: Any) -> bool:
        # The replica is a copy of default: an object read from either may point to the other.
        return True

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        # The replica follows default's WAL, schema included: never migrated on its own.
        return False if db == REPLICA else None
