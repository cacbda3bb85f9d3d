"""Integration clients of the API: an agency's E-Office or another system, one agency each.

A client's key is shown once, when it is issued; only its SHA-256 is stored, so a
copy of the database gives nobody a working key. The key's first part (the prefix)
is stored in clear to find the client without comparing every hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import Agency

PREFIX_BYTES = 6
SECRET_BYTES = 32
SEPARATOR = "."


def hash_key(key: str) -> str:
    # The secret is 256 random bits: a plain SHA-256 is enough, no slow password hash is needed.
    return hashlib.sha256(key.encode()).hexdigest()


class ApiClientQuerySet(models.QuerySet):
    def for_key(self, key: str) -> ApiClient | None:
        """The active client this key belongs to, or None (unknown, malformed or revoked)."""
        prefix, separator, secret = key.partition(SEPARATOR)
        if not separator or not secret or len(prefix) != 2 * PREFIX_BYTES:
            return None
        client = self.filter(key_prefix=prefix, is_active=True).select_related("agency").first()
        if client is None or not hmac.compare_digest(client.key_hash, hash_key(key)):
            return None
        return client


class ApiClient(models.Model):
    """A system allowed to push evidence and read figures of one agency through the API."""

    name = models.CharField(_("name"), max_length=200, help_text=_("For example E-Office STC."))
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="api_clients", verbose_name=_("agency")
    )
    key_prefix = models.CharField(_("key prefix"), max_length=2 * PREFIX_BYTES, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to revoke the key: the client is refused at once.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        ordering = ["agency__code", "name"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return self.name

    def issue_key(self) -> str:
        """Give the client a new key (the old one stops working once saved) and return it, to show once."""
        self.key_prefix = secrets.token_hex(PREFIX_BYTES)
        key = f"{self.key_prefix}{SEPARATOR}{secrets.token_urlsafe(SECRET_BYTES)}"
        self.key_hash = hash_key(key)
        return key
