"""Pages of the second factor: the code after the password, enrolment, and an administrator's reset."""

import django_otp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from kpi_portal.access import check_perm
from kpi_portal.text import safe_next

from . import otp, selectors
from .otp_forms import CodeForm, EnrolForm, ResetForm


def _done(request):
    return redirect(safe_next(request, reverse("home")))


def _signed_in_with(request, device) -> None:
    # A new session key once the sign-in is complete: a key seen before the code is worth nothing after.
    request.session.cycle_key()
    django_otp.login(request, device)


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    user = request.user
    if user.is_verified() or not otp.needs_second_factor(user):
        return _done(request)
    if otp.app_device(user) is None:
        return redirect(f"{reverse('org:otp_enrol')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = otp.verify(user=user, code=form.cleaned_data["code"])
        if result.device is not None:
            _signed_in_with(request, result.device)
            if result.device.name == otp.RECOVERY_DEVICE_NAME:
                left = otp.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code; %(count)d code is left.",
                        "You signed in with a recovery code; %(count)d codes are left.",
                        left,
                    )
                    % {"count": left},
                )
            return _done(request)
        if result.locked_until is not None:
            seconds = max(1, int((result.locked_until - timezone.now()).total_seconds()) + 1)
            form.add_error(
                "code",
                ngettext(
                    "Too many wrong codes. Wait %(seconds)d second before trying again.",
                    "Too many wrong codes. Wait %(seconds)d seconds before trying again.",
                    seconds,
                )
                % {"seconds": seconds},
            )
        else:
            form.add_error("code", _("This code is not right. Check the time on your phone and try again."))
    return render(request, "org/otp_verify.html", {"form": form, "next": safe_next(request, "")})


@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    user = request.user
    if not otp.needs_second_factor(user):
        return _done(request)
    if otp.app_device(user) is not None:
        # Enrolled already: a new app only after an administrator's reset.
        return redirect(f"{reverse('org:otp_verify')}?{request.GET.urlencode()}")
    key = otp.enrolment_key(request.session)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = otp.enrol(user=user, key=key, code=form.cleaned_data["code"])
        except otp.EnrolmentError:
            form.add_error("code", _("This code is not right. Check the time on your phone and try again."))
        else:
            request.session.pop(otp.ENROL_KEY_SESSION_KEY, None)
            _signed_in_with(request, device)
            # Shown in the answer to the POST, never stored to show again.
            return render(
                request,
                "org/otp_recovery_codes.html",
                {"codes": codes, "next": safe_next(request, reverse("home"))},
            )
    uri = otp.provisioning_uri(user, key)
    context = {
        "form": form,
        "secret": otp.secret_text(key),
        "qr_svg": otp.qr_svg(uri),
        "next": safe_next(request, ""),
    }
    return render(request, "org/otp_enrol.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_second_factor(request, pk: int):
    person = get_object_or_404(selectors.visible_people(request.user), pk=pk)
    check_perm(request.user, "org.reset_second_factor", person)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        otp.reset(person=person, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("The second factor of %(name)s was removed: they set up an app again at their next sign-in.")
            % {"name": person.full_name or person.username},
        )
        return redirect("org:person_second_factor", pk=person.pk)
    context = {
        "person": person,
        "form": form,
        "app": otp.app_device(person),
        "codes_left": otp.recovery_codes_left(person),
        "required": otp.people_needing_second_factor().filter(pk=person.pk).exists(),
    }
    return render(request, "org/otp_person.html", context)
