"""Passwords are stored with Argon2id at OWASP's minimum parameters (kpi_portal/hashers.py); a password
stored before with Django's PBKDF2 still signs in, and is stored again with Argon2id."""

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import override_settings
from django.urls import reverse

from kpi_portal.settings import base
from org.models import User
from org.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
ARGON2ID = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_a_new_password_is_stored_with_argon2id_at_owasps_parameters():
    stored = make_password("Mật-khẩu-2026!")

    assert stored.startswith(ARGON2ID)
    assert check_password("Mật-khẩu-2026!", stored)
    assert not check_password("mật-khẩu-2026!", stored)


@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_a_password_stored_with_pbkdf2_signs_in_and_is_stored_again_with_argon2id(client, org):
    person = MembershipFactory(unit=org.unit1, person__username="cu").person
    person.password = make_password("Mật-khẩu-2026!", hasher="pbkdf2_sha256")
    person.save(update_fields=["password"])
    assert identify_hasher(person.password).algorithm == "pbkdf2_sha256"

    response = client.post(reverse("login"), {"username": "cu", "password": "Mật-khẩu-2026!"})

    assert response.status_code == 302
    person = User.objects.get(pk=person.pk)
    assert person.password.startswith(ARGON2ID)
