"""Forms for the pages; the API has its own serializers but both end in services.py."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .evidence import check_evidence
from .models import Assignment, Org, Request, Target


class DateInput(forms.DateInput):
    input_type = "date"


def _file_size(upload) -> None:
    from django.conf import settings

    if upload and upload.size > settings.MAX_UPLOAD_BYTES:
        limit = settings.MAX_UPLOAD_BYTES // 1024 // 1024
        raise forms.ValidationError(gettext("文件过大，上限为 %(limit)d MB") % {"limit": limit})


class LoginForm(AuthenticationForm):
    """Django's sign-in form, saying so when the name or the address is locked (logins.py)."""

    locked = False

    def clean(self):
        from . import logins

        username = self.cleaned_data.get("username") or ""
        if logins.is_locked(username, logins.address_of(self.request)):
            self.request.login_locked = self.locked = True
            logins.record("login-locked", self.request, username=username)
            minutes = int(logins.WINDOW.total_seconds() // 60)
            raise forms.ValidationError(gettext("登录失败次数过多，已暂时锁定：请 %(minutes)d 分钟后再试，"
                                                "或请管理员解除锁定") % {"minutes": minutes}, code="locked")
        return super().clean()


class MilestoneForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("form field", "节点"), max_length=200)
    due_date = forms.DateField(label=_("日期"), widget=DateInput)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("文件"))


class TaskEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("标题"), max_length=300)
    section = forms.CharField(label=_("重点任务"), max_length=200, required=False)
    content = forms.CharField(label=_("具体内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    due_date = forms.DateField(label=_("完成时限"), required=False, widget=DateInput)


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["indicator", "comparator", "value", "value_max", "unit", "deadline"]
        labels = {"indicator": _("指标"), "comparator": _("比较"), "value": _("目标值"), "value_max": _("上限"),
                  "unit": _("单位"), "deadline": _("时限")}
        widgets = {"deadline": DateInput}


class AssignForm(forms.Form):
    org = forms.ModelChoiceField(label=_("单位"), queryset=Org.objects.filter(kind__in=["department", "district"]))
    role = forms.ChoiceField(label=_("角色"), choices=Assignment.Role.choices)
    due_date = forms.DateField(label=_("完成时限"), required=False, widget=DateInput)


class ReportForm(forms.Form):
    progress = forms.CharField(label=_("完成情况"), widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(label=_("下一步计划"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    problems = forms.CharField(label=_("存在问题"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    attachment = forms.FileField(label=_("佐证材料"), required=False, validators=[_file_size, check_evidence])

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        for target in targets:
            label = gettext("%(indicator)s（当前值，%(unit)s）") % {"indicator": target.indicator, "unit": target.unit}
            self.fields[f"target_{target.pk}"] = forms.FloatField(label=label, required=False)

    def target_values(self) -> dict[int, float]:
        return {int(name.split("_")[1]): value for name, value in self.cleaned_data.items()
                if name.startswith("target_") and value is not None}


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("申请类型"), choices=Request.Kind.choices)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))
    new_due_date = forms.DateField(label=_("新完成时限（延期）"), required=False, widget=DateInput)
    new_content = forms.CharField(label=_("调整后内容（调整）"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = forms.FileField(label=_("办结佐证"), required=False, validators=[_file_size, check_evidence])


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("同意")), ("return", _("退回"))])
    note = forms.CharField(label=_("意见"), required=False)


class TextForm(forms.Form):
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
