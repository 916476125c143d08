"""Web forms of the evaluations app: the post-evaluation (a rating per approved goal, a score per
leaf of the chosen template) and a new indicator template (its tree as indented text)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egovpm.core.validators import StrictDateFormField, TextFormField
from egovpm.evaluations import scoring
from egovpm.evaluations.choices import Conclusion, GoalRatingChoice

SCORE_WIDGET = {"min": 0, "max": 100, "step": 1, "inputmode": "numeric"}


def leaf_field(code: str) -> str:
    return "leaf_" + code.replace(".", "_")


class EvaluationForm(forms.Form):
    evaluated_on = StrictDateFormField(
        label=_("Evaluated on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    organisation = TextFormField(label=_("Evaluating organisation"), max_length=200)
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=Conclusion.choices)
    report = forms.ChoiceField(label=_("Evaluation report"), choices=())

    def __init__(self, *args: Any, goals: list[str], reports: list[Any], template: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        self.template = template
        cast(forms.ChoiceField, self.fields["report"]).choices = [
            (str(d.pk), f"{d.title} (v{d.version})") for d in reports
        ]
        if template is None:
            for name, label in (
                ("efficiency_score", _("Operational efficiency (0–100)")),
                ("effect_score", _("Usage effect (0–100)")),
            ):
                self.fields[name] = forms.CharField(label=label, widget=forms.NumberInput(attrs=SCORE_WIDGET))
        else:
            self.fields["template"] = forms.CharField(widget=forms.HiddenInput, initial=str(template.pk))
            for leaf in scoring.leaves(template.tree):
                self.fields[leaf_field(leaf.code)] = forms.CharField(
                    label=f"{leaf.code} {' / '.join(leaf.names)}",
                    widget=forms.NumberInput(attrs=SCORE_WIDGET),
                )
        for i, goal in enumerate(goals):
            self.fields[f"goal_{i}_rating"] = forms.ChoiceField(label=goal, choices=GoalRatingChoice.choices)
            self.fields[f"goal_{i}_evidence"] = TextFormField(
                label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def goal_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"goal_{i}_rating"], self[f"goal_{i}_evidence"]) for i in range(len(self.goals))]

    def leaf_rows(self) -> list[Any]:
        if self.template is None:
            return []
        return [self[leaf_field(leaf.code)] for leaf in scoring.leaves(self.template.tree)]

    def service_arguments(self) -> dict[str, Any]:
        """The service's keyword arguments; the scores stay as typed (the service judges them)."""
        data = self.cleaned_data
        out: dict[str, Any] = {
            "evaluated_on": data["evaluated_on"],
            "organisation": data["organisation"],
            "conclusion": data["conclusion"],
            "report": data["report"],
            "goals": [
                {"goal": goal, "rating": data[f"goal_{i}_rating"], "evidence": data.get(f"goal_{i}_evidence", "")}
                for i, goal in enumerate(self.goals)
            ],
        }
        if self.template is None:
            out["efficiency_score"] = data["efficiency_score"]
            out["effect_score"] = data["effect_score"]
        else:
            out["template"] = str(self.template.pk)
            out["scores"] = {leaf.code: data[leaf_field(leaf.code)] for leaf in scoring.leaves(self.template.tree)}
        return out

    def field_for(self, service_field: str) -> str | None:
        """The form field showing a service's field error ("scores.1.2" → leaf_1_2, "goals[0].rating" → …)."""
        if service_field.startswith("scores."):
            return leaf_field(service_field.removeprefix("scores."))
        if service_field.startswith("goals[") and "]." in service_field:
            index, rest = service_field.removeprefix("goals[").split("].", 1)
            return f"goal_{index}_{rest}"
        return service_field if service_field in self.fields else None


TREE_HELP = _(
    "One indicator a line: “name | weight”; a top-level line “name | weight | efficiency” or "
    "“… | effect”; a child indented by two spaces under its parent. Weights under one parent sum to 100."
)


class TemplateForm(forms.Form):
    name = TextFormField(label=pgettext_lazy("indicator template", "Name"), max_length=200)
    description = TextFormField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    tree = forms.CharField(
        label=_("Indicators"),
        help_text=TREE_HELP,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "mono"}),
    )
