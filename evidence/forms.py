from pathlib import PurePath

from django import forms
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .imports import ImportKind

EXTENSIONS = (".xlsx", ".csv")


def _megabytes(size: int, digits: int = 1) -> str:
    return number_format(size / 1_048_576, digits)


class ImportForm(forms.Form):
    """An E-Office export to import: outgoing documents or the work calendar."""

    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"), choices=ImportKind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=gettext_lazy("File"), widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An .xlsx or CSV (UTF-8) file in the documented format, at most %(size)s MB."
        ) % {"size": _megabytes(settings.CATALOG_IMPORT_MAX_BYTES, 0)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError(
                _("Only .xlsx and .csv files can be imported; this file is “%(name)s”.")
                % {"name": upload.name}
            )
        if upload.size > settings.CATALOG_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": _megabytes(upload.size), "limit": _megabytes(settings.CATALOG_IMPORT_MAX_BYTES)}
            )
        return upload
