from django import forms
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from bareform.models import Submission


class SubmissionForm(forms.ModelForm):
    class Meta:
        model = Submission
        fields = ["name", "email", "phone", "region", "subject", "description"]


class StatusForm(forms.Form):
    number = forms.IntegerField(min_value=1)
    key = forms.CharField(max_length=16)


def submit(request):
    form = SubmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        submission = form.save()
        return HttpResponseRedirect(reverse("done", args=[submission.pk]), status=303)
    return render(request, "bareform/form.html", {"form": form})


def done(request, pk):
    return render(request, "bareform/status.html", {"submission": None, "number": pk})


def status(request):
    form = StatusForm(request.POST or None)
    submission = None
    if request.method == "POST" and form.is_valid():
        submission = Submission.objects.filter(pk=form.cleaned_data["number"], key=form.cleaned_data["key"]).first()
    return render(request, "bareform/status.html", {"form": form, "submission": submission})
