"""Forms for the pages; the API has its own serializers but both end in services.py."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from eduplan.limits import size_and_limit

from .evidence import check_evidence
from .models import Assignment, Org, Request, Target


class DateInput(forms.DateInput):
    """A browser's date box takes ISO dates only: in the locale's format (2027/08/31) it would show blank,
    and a form saved from that blank box would lose the date."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _file_size(upload) -> None:
    from django.conf import settings

    if upload and upload.size > settings.MAX_UPLOAD_BYTES:
        raise forms.ValidationError(gettext("文件过大（%(size)s），上限为 %(limit)s")
                                    % size_and_limit(upload.size, settings.MAX_UPLOAD_BYTES))


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
    title = forms.CharField(label=_("标题"), max_length=300, widget=forms.TextInput(attrs={"size": 60}))
    section = forms.CharField(label=_("重点任务"), max_length=200, required=False,
                              widget=forms.TextInput(attrs={"size": 60}))
    content = forms.CharField(label=_("具体内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    due_date = forms.DateField(label=_("完成时限"), required=False, widget=DateInput)


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["indicator", "comparator", "value", "value_max", "unit", "deadline"]
        labels = {"indicator": _("指标"), "comparator": _("比较"), "value": _("目标值"), "value_max": _("上限"),
                  "unit": _("单位"), "deadline": _("时限")}
        widgets = {"deadline": DateInput}

    def clean(self):
        from .services import Invalid, check_target

        data = super().clean()
        if not self.errors:
            try:
                check_target(Target(**{name: data.get(name) for name in self.Meta.fields}))
            except Invalid as error:
                raise forms.ValidationError(str(error)) from None
        return data


class AssignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    org = forms.ModelChoiceField(label=_("单位"), queryset=Org.objects.filter(kind__in=["department", "district"]))
    role = forms.ChoiceField(label=_("角色"), choices=Assignment.Role.choices)
    due_date = forms.DateField(label=_("完成时限"), required=False, widget=DateInput)


class ReportForm(forms.Form):
    progress = forms.CharField(label=_("完成情况"), widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(label=_("下一步计划"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    problems = forms.CharField(label=_("存在问题"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    attachment = forms.FileField(label=_("佐证材料"), required=False, validators=[_file_size, check_evidence])
    period = forms.DateField(label=_("报送月份（补报往月时选择）"), required=False,
                             widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
                             input_formats=["%Y-%m", "%Y-%m-%d"])

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

    def __init__(self, *args, targets=(), **kwargs):
        """Each target the request may change: 延期 moves the ticked targets' deadlines to the new date,
        调整 sets the values filled in. The office sees both on the request before approving."""
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        if not self.targets:
            return
        self.fields["extend_targets"] = forms.MultipleChoiceField(
            label=_("顺延时限的目标（延期）"), required=False, widget=forms.CheckboxSelectMultiple,
            choices=[(str(t.pk), str(t)) for t in self.targets], initial=[str(t.pk) for t in self.targets])
        for target in self.targets:
            label = gettext("%(target)s → 调整为（调整）") % {"target": target}
            self.fields[f"adjust_{target.pk}"] = forms.FloatField(label=label, required=False)
            if target.value_max is not None:
                self.fields[f"adjust_{target.pk}_max"] = forms.FloatField(
                    label=gettext("%(indicator)s 上限调整为（调整）") % {"indicator": target.indicator}, required=False)

    def target_changes(self) -> dict[int, dict]:
        data, kind = self.cleaned_data, self.cleaned_data.get("kind")
        if kind == Request.Kind.EXTEND:
            return {int(pk): {} for pk in data.get("extend_targets", [])}
        if kind != Request.Kind.ADJUST:
            return {}
        changes = {}
        for target in self.targets:
            wanted = {"value": data.get(f"adjust_{target.pk}"), "value_max": data.get(f"adjust_{target.pk}_max")}
            if any(v is not None for v in wanted.values()):
                changes[target.pk] = wanted
        return changes


class ReportCorrectForm(ReportForm):
    """更正 a report: the same fields, no new attachment."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["attachment"]


class PlanForm(forms.Form):
    title = forms.CharField(label=_("计划名称"), max_length=200, widget=forms.TextInput(attrs={"size": 50}))
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)


class TransferForm(forms.Form):
    org = forms.ModelChoiceField(label=_("转办给"), queryset=Org.objects.filter(kind__in=["department", "district"]))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("同意")), ("return", _("退回"))])
    note = forms.CharField(label=_("意见"), required=False)


class TextForm(forms.Form):
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class WarningWindowForm(forms.Form):
    days = forms.IntegerField(
        label=_("预警天数"), min_value=1, max_value=90,
        error_messages={"required": _("请填写预警天数"), "invalid": _("预警天数须为整数"),
                        "min_value": _("预警天数须在 1 到 90 天之间"), "max_value": _("预警天数须在 1 到 90 天之间")},
        widget=forms.NumberInput(attrs={"min": 1, "max": 90}))
