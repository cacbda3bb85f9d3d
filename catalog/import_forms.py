"""The upload form of the spreadsheet import."""

from django import forms
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .models import ImportKind


def _megabytes(size: int, places: int) -> str:
    return number_format(size / 1_048_576, places)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"), choices=ImportKind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An .xlsx or CSV (UTF-8) file in the documented format, at most %(size)s MB."
        ) % {"size": _megabytes(settings.CATALOG_IMPORT_MAX_BYTES, 0)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.CATALOG_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": _megabytes(upload.size, 1),
                    "limit": _megabytes(settings.CATALOG_IMPORT_MAX_BYTES, 1),
                }
            )
        return upload
