from django import forms


class GradeForm(forms.Form):
    """One points field per rubric criterion, bounded by its maximum, and feedback."""

    feedback = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def __init__(self, *args, rubric, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        for criterion in rubric:
            self.fields[f"criterion_{criterion['id']}"] = forms.IntegerField(
                label=f"{criterion['title']} (0–{criterion['max_points']})",
                help_text=criterion["description"],
                min_value=0,
                max_value=criterion["max_points"],
            )
        self.order_fields([f"criterion_{c['id']}" for c in rubric] + ["feedback"])

    def scores(self):
        return {c["id"]: self.cleaned_data[f"criterion_{c['id']}"] for c in self.rubric}
