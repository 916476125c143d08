"""Forms of the budgets pages: they shape and label input; the services decide. Amounts are typed
in yuan (元) with at most two decimals; a thousands separator is tolerated on screen only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from egovpm.budgets.choices import Reason
from egovpm.budgets.services import ExpenditureIn, LineIn
from egovpm.core.money import parse_amount
from egovpm.core.validators import StrictDateFormField, TextFormField

NEW_LINES = 2  # rows for new sub-projects on the adjustment form
EXTRA_ESTIMATE_ROWS = 3


def clean_amount(value: str, *, required: bool = True) -> Decimal | None:
    text = (value or "").replace(",", "").replace("，", "").replace(" ", "").strip()
    if not text:
        if required:
            raise forms.ValidationError(_("This field is required."))
        return None
    try:
        return parse_amount(text)
    except ValueError:
        raise forms.ValidationError(_("Enter an amount in yuan with at most two decimals, e.g. 1200000.00."))


class AmountField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "class": "amount-input"})

    def clean(self, value: Any) -> Decimal | None:
        return clean_amount(str(value or ""), required=self.required)


class EstimateForm(forms.Form):
    """The total and the sub-project rows (line_code_N / line_name_N / line_amount_N)."""

    total = AmountField(label=_("Total estimate (yuan)"))

    def __init__(self, *args: Any, lines: Sequence[tuple[str, str, Decimal]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        count = max(len(lines), int(self.data.get("rows", 0) or 0) if self.is_bound else 0) + (
            0 if self.is_bound else EXTRA_ESTIMATE_ROWS
        )
        self.row_count = count
        for i in range(count):
            code, name, amount = lines[i] if i < len(lines) else ("", "", None)
            self.fields[f"line_code_{i}"] = TextFormField(label=_("Code"), max_length=20, required=False, initial=code)
            self.fields[f"line_name_{i}"] = TextFormField(
                label=_("Sub-project"), max_length=200, required=False, initial=name
            )
            self.fields[f"line_amount_{i}"] = AmountField(
                label=_("Amount (yuan)"), required=False, initial=f"{amount:.2f}" if amount is not None else ""
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"code": self[f"line_code_{i}"], "name": self[f"line_name_{i}"], "amount": self[f"line_amount_{i}"]}
            for i in range(self.row_count)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        items = []
        for i in range(self.row_count):
            code = (data.get(f"line_code_{i}") or "").strip()
            name = (data.get(f"line_name_{i}") or "").strip()
            amount = data.get(f"line_amount_{i}")
            if not code and not name and amount is None:
                continue
            if not code:
                self.add_error(f"line_code_{i}", _("This field is required."))
            if not name:
                self.add_error(f"line_name_{i}", _("This field is required."))
            if amount is None:
                self.add_error(f"line_amount_{i}", _("This field is required."))
            items.append(LineIn(code, name, amount or Decimal(0)))
        if not items:
            raise forms.ValidationError(_("Enter at least one sub-project."))
        data["items"] = items
        return data


class AdjustmentForm(forms.Form):
    """One optional "new amount" per current line, rows for new sub-projects, the declarations."""

    goals_unchanged = forms.BooleanField(label=_("The construction goals stay unchanged"), required=False, initial=True)
    reason = forms.ChoiceField(label=_("Reason"), choices=Reason.choices)
    changes_main_content = forms.BooleanField(label=_("Changes the main construction content"), required=False)
    description = TextFormField(
        label=_("Description and justification"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    report_document = forms.ChoiceField(label=_("Adjustment report (document)"), required=False)

    def __init__(
        self,
        *args: Any,
        lines: Sequence[tuple[str, str, Decimal]] = (),
        reports: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for code, _name, _amount in self.lines:
            self.fields[f"new_{code}"] = AmountField(label=_("New amount (yuan)"), required=False)
        for i in range(NEW_LINES):
            self.fields[f"add_code_{i}"] = TextFormField(label=_("Code"), max_length=20, required=False)
            self.fields[f"add_name_{i}"] = TextFormField(label=_("New sub-project"), max_length=200, required=False)
            self.fields[f"add_amount_{i}"] = AmountField(label=_("Amount (yuan)"), required=False)
        cast(forms.ChoiceField, self.fields["report_document"]).choices = [("", _("— none —")), *reports]

    def line_rows(self) -> list[dict[str, Any]]:
        return [{"code": c, "name": n, "amount": a, "field": self[f"new_{c}"]} for c, n, a in self.lines]

    def new_rows(self) -> list[dict[str, Any]]:
        return [
            {"code": self[f"add_code_{i}"], "name": self[f"add_name_{i}"], "amount": self[f"add_amount_{i}"]}
            for i in range(NEW_LINES)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        items = []
        for code, _name, _amount in self.lines:
            amount = data.get(f"new_{code}")
            if amount is not None:
                items.append(LineIn(code, "", amount))
        for i in range(NEW_LINES):
            code = (data.get(f"add_code_{i}") or "").strip()
            name = (data.get(f"add_name_{i}") or "").strip()
            amount = data.get(f"add_amount_{i}")
            if not code and not name and amount is None:
                continue
            if not code:
                self.add_error(f"add_code_{i}", _("This field is required."))
            if amount is None:
                self.add_error(f"add_amount_{i}", _("This field is required."))
            items.append(LineIn(code, name, amount or Decimal(0)))
        data["items"] = items
        return data


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    comment = TextFormField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    approval_reference = TextFormField(label=_("Approval document number"), required=False, max_length=100)


class FileForm(forms.Form):
    filed_on = StrictDateFormField(
        label=_("Filing date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    document = forms.ChoiceField(label=_("Adjustment approval document"))
    reference = TextFormField(label=_("Filing reference"), required=False, max_length=100)

    def __init__(self, *args: Any, documents: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["document"]).choices = [("", _("— choose —")), *documents]


class ExpenditureForm(forms.Form):
    line = forms.ChoiceField(label=_("Sub-project"))
    spent_on = StrictDateFormField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    amount = AmountField(label=_("Amount (yuan)"))
    voucher = TextFormField(label=_("Voucher number"), max_length=100)
    note = TextFormField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, lines: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["line"]).choices = [(c, f"{c} {n}") for c, n in lines]

    def row(self) -> ExpenditureIn:
        d = self.cleaned_data
        spent_on: dt.date = d["spent_on"]
        return ExpenditureIn(d["line"], spent_on, d["amount"], d["voucher"], d.get("note") or "")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX file"))
