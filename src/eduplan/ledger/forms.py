"""Forms for the pages; the API has its own serializers but both end in services.py."""

from __future__ import annotations

from django import forms

from .models import Assignment, Org, Request, Target


class DateInput(forms.DateInput):
    input_type = "date"


def _file_size(upload) -> None:
    from django.conf import settings

    if upload and upload.size > settings.MAX_UPLOAD_BYTES:
        raise forms.ValidationError(f"文件过大，上限为 {settings.MAX_UPLOAD_BYTES // 1024 // 1024} MB")


class MilestoneForm(forms.Form):
    title = forms.CharField(label="节点", max_length=200)
    due_date = forms.DateField(label="日期", widget=DateInput)


class UploadForm(forms.Form):
    file = forms.FileField(label="文件")


class TaskEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label="标题", max_length=300)
    section = forms.CharField(label="重点任务", max_length=200, required=False)
    content = forms.CharField(label="具体内容", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    due_date = forms.DateField(label="完成时限", required=False, widget=DateInput)


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["indicator", "comparator", "value", "value_max", "unit", "deadline"]
        labels = {"indicator": "指标", "comparator": "比较", "value": "目标值", "value_max": "上限",
                  "unit": "单位", "deadline": "时限"}
        widgets = {"deadline": DateInput}


class AssignForm(forms.Form):
    org = forms.ModelChoiceField(label="单位", queryset=Org.objects.filter(kind__in=["department", "district"]))
    role = forms.ChoiceField(label="角色", choices=Assignment.Role.choices)
    due_date = forms.DateField(label="完成时限", required=False, widget=DateInput)


class ReportForm(forms.Form):
    progress = forms.CharField(label="完成情况", widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(label="下一步计划", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    problems = forms.CharField(label="存在问题", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    attachment = forms.FileField(label="佐证材料", required=False, validators=[_file_size])

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        for target in targets:
            self.fields[f"target_{target.pk}"] = forms.FloatField(label=f"{target.indicator}（当前值，{target.unit}）",
                                                                  required=False)

    def target_values(self) -> dict[int, float]:
        return {int(name.split("_")[1]): value for name, value in self.cleaned_data.items()
                if name.startswith("target_") and value is not None}


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label="申请类型", choices=Request.Kind.choices)
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))
    new_due_date = forms.DateField(label="新完成时限（延期）", required=False, widget=DateInput)
    new_content = forms.CharField(label="调整后内容（调整）", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = forms.FileField(label="办结佐证", required=False, validators=[_file_size])


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "同意"), ("return", "退回")])
    note = forms.CharField(label="意见", required=False)


class TextForm(forms.Form):
    text = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 2}), required=False)
