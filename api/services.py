"""Writes of the API: issuing client keys and pushing E-Office evidence for the client's agency."""

from __future__ import annotations

import datetime
from typing import cast

from django.db import transaction
from django.utils import timezone

from evidence import imports
from evidence.imports import AssignmentInput, DocumentInput, ImportKind, ImportResult
from evidence.services import recheck_request
from org.audit import record
from org.models import Agency

from .models import ApiClient

# Writing last_used_at on every request would turn each read into a write.
TOUCH_EVERY = datetime.timedelta(minutes=1)


@transaction.atomic
def api_client_create(*, agency: Agency, name: str) -> tuple[ApiClient, str]:
    """A new active client of the agency and its key (shown once: only its hash is kept)."""
    client = ApiClient(agency=agency, name=name)
    key = client.issue_key()
    client.full_clean()
    client.save()
    return client, key


@transaction.atomic
def api_client_new_key(*, client: ApiClient) -> str:
    """Replace the client's key; the old key is refused from now on."""
    key = client.issue_key()
    client.save(update_fields=["key_prefix", "key_hash"])
    return key


def api_client_touch(*, client: ApiClient) -> None:
    """Note when the client was last seen (at most once a minute)."""
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at >= TOUCH_EVERY:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now


def evidence_push(
    *,
    client: ApiClient,
    kind: ImportKind,
    items: list[DocumentInput] | list[AssignmentInput],
) -> ImportResult:
    """Upsert checked items by source id for the client's agency, all or nothing, like a file import.

    The same upserts as the spreadsheet import (``evidence.imports``), under the same lock on
    the agency, so a push and an import never race on a source id. A push that changes
    something is audited and has the agency's diaries checked again once it commits; pushing
    the same items again changes nothing and enqueues nothing.
    """
    agency = client.agency
    result = ImportResult(kind=kind, filename="", rows=len(items))
    with transaction.atomic():
        Agency.objects.select_for_update().only("pk").get(pk=agency.pk)
        # The batch serializer of ``kind`` made the items.
        if kind == ImportKind.DOCUMENTS:
            imports.documents_upsert(agency=agency, items=cast(list[DocumentInput], items), result=result)
        else:
            imports.assignments_upsert(agency=agency, items=cast(list[AssignmentInput], items), result=result)
        if result.created or result.updated:
            record(
                actor=None,
                action="evidence.imported",
                target=agency,
                agency=agency,
                after={"kind": kind, "api_client": client.name, **result.counts()},
            )
            recheck_request([agency.pk])
    return result
