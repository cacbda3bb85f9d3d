from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from org.forms import DateInput
from org.models import Unit

from .models import MAX_NORM_MINUTES, StandardTask, TaskGroup
from .services import StageInput, TaskInput


class TaskForm(forms.ModelForm):
    class Meta:
        model = StandardTask
        fields = ["code", "name", "group", "output_unit", "evidence_kind", "description", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def to_input(self, stages: tuple[StageInput, ...] = ()) -> TaskInput:
        data = self.cleaned_data
        return TaskInput(
            code=data["code"],
            name=data["name"].strip(),
            group=data["group"],
            output_unit=data["output_unit"].strip(),
            evidence_kind=data["evidence_kind"],
            description=data["description"].strip(),
            active=data["active"],
            stages=stages,
        )


class StageForm(forms.Form):
    """One row of the stage table; the table header carries the labels."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    order = forms.IntegerField(
        label=_("Order"),
        min_value=1,
        max_value=99,
        widget=forms.NumberInput(attrs={"class": "form-control", "aria-label": _("Order")}),
    )
    name = forms.CharField(
        label=_("Stage name"),
        max_length=255,
        widget=forms.TextInput(attrs={"class": "form-control", "aria-label": _("Stage name")}),
    )
    norm_minutes = forms.IntegerField(
        label=_("Norm (minutes)"),
        min_value=1,
        max_value=MAX_NORM_MINUTES,
        widget=forms.NumberInput(attrs={"class": "form-control", "aria-label": _("Norm (minutes)")}),
    )


def _deleted(form: forms.BaseForm) -> bool:
    return bool(form.cleaned_data.get(forms.formsets.DELETION_FIELD_NAME))


class BaseStageFormSet(forms.BaseFormSet):
    """The stage table: every row of an existing stage is sent back whole, changed or not, so a
    save changes exactly what was edited; a stage goes only when its Remove box is ticked."""

    def _is_existing(self, form: forms.BaseForm) -> bool:
        return bool(form.cleaned_data.get("id"))

    def _kept(self) -> list[forms.BaseForm]:
        return [
            form
            for form in self.forms
            if form.cleaned_data and not _deleted(form) and (self._is_existing(form) or form.has_changed())
        ]

    def clean(self) -> None:
        if any(self.errors):
            return
        orders = [form.cleaned_data["order"] for form in self._kept()]
        if len(set(orders)) != len(orders):
            raise forms.ValidationError(_("Two stages have the same order number."))

    def to_inputs(self) -> tuple[StageInput, ...]:
        return tuple(
            StageInput(
                order=form.cleaned_data["order"],
                name=form.cleaned_data["name"].strip(),
                norm_minutes=form.cleaned_data["norm_minutes"],
                # The service checks that the id is one of the task's stages.
                id=form.cleaned_data.get("id"),
            )
            for form in self._kept()
        )

    def removals(self) -> list[int]:
        """The ids of the existing stages whose Remove box is ticked."""
        return [
            form.cleaned_data["id"]
            for form in self.forms
            if form.cleaned_data and self._is_existing(form) and _deleted(form)
        ]


StageFormSet = cast(
    type[BaseStageFormSet],
    forms.formset_factory(StageForm, formset=BaseStageFormSet, extra=3, can_delete=True, max_num=30),
)


def stage_formset(task: StandardTask | None = None, data=None) -> BaseStageFormSet:
    """The stages of ``task`` plus empty rows numbered after them."""
    stages = list(task.stages.order_by("order")) if task is not None else []
    initial = [{"id": s.pk, "order": s.order, "name": s.name, "norm_minutes": s.norm_minutes} for s in stages]
    next_order = max((s.order for s in stages), default=0) + 1
    formset = StageFormSet(data=data, initial=initial, prefix="stages")
    for offset, form in enumerate(formset.extra_forms):
        form.initial = {"order": next_order + offset}
        form.fields["order"].initial = next_order + offset
    return formset


class TaskFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    group = forms.ChoiceField(
        label=_("Group"), required=False, choices=[("", _("All groups")), *TaskGroup.choices]
    )


MERGED_CHOICES = [("", _("All")), ("no", _("Not merged yet")), ("yes", _("Merged"))]


class DeclaredFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Words of the declared task or a task code")}),
    )
    unit = forms.ModelChoiceField(label=_("Declaring unit"), queryset=Unit.objects.none(), required=False)
    merged = forms.ChoiceField(label=_("Merged"), choices=MERGED_CHOICES, required=False)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.queryset = Unit.objects.filter(agency=agency).order_by("code")
        unit.empty_label = _("All units")


class MergeForm(forms.Form):
    ACTIONS = [
        ("existing", _("Merge into an existing task")),
        ("new", _("Merge into a new task")),
        ("unmerge", _("Undo merge")),
    ]

    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    declared = forms.TypedMultipleChoiceField(
        label=_("Declared tasks"),
        coerce=int,
        choices=[],
        error_messages={
            "required": _("Select at least one declared task."),
            "invalid_choice": _("Some of the selected declared tasks no longer exist. Reload the page."),
        },
    )
    task_code = forms.ChoiceField(label=_("Standard task"), required=False, choices=[])
    code = forms.CharField(label=_("New task code"), required=False, max_length=20)
    name = forms.CharField(label=_("New task name"), required=False, max_length=255)
    group = forms.ChoiceField(
        label=_("Group"), required=False, choices=TaskGroup.choices, initial=TaskGroup.C
    )
    output_unit = forms.CharField(label=_("Output unit"), required=False, max_length=50, initial="văn bản")

    def __init__(self, *args, declared_ids, task_choices, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["declared"]).choices = [(pk, pk) for pk in declared_ids]
        task_code = cast(forms.ChoiceField, self.fields["task_code"])
        task_code.choices = [("", _("— choose a standard task —")), *task_choices]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        action = data.get("action")
        if action == "existing" and not data.get("task_code"):
            self.add_error("task_code", _("Choose the standard task to merge into."))
        if action == "new":
            for field in ("code", "name", "group", "output_unit"):
                if not (data.get(field) or "").strip():
                    self.add_error(field, _("Required to create a new standard task."))
        return data


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label=_("Effective from"),
        widget=DateInput,
        help_text=_("From this day on staff pick their tasks from the new version (dd/mm/yyyy)."),
    )
    note = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the version list, for example: new norms for budget appraisal."),
    )


class ProposalForm(forms.Form):
    task_code = forms.ChoiceField(label=_("Common task"), required=False, choices=[])
    text = forms.CharField(
        label=_("Proposal"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("What should change and why: a norm, a stage, a new task. Give the figures you have."),
    )

    def __init__(self, *args, task_choices, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["task_code"])
        field.choices = [("", _("— a new common task —")), *task_choices]


class DecisionForm(forms.Form):
    proposal = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What should change"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The catalog manager sees this with the draft."),
    )
