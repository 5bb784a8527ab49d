"""A trainee joins a cohort with its invite code."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from home.ratelimit import rate_limit
from supervision import services as supervision_services


class JoinForm(forms.Form):
    """The invite code a programme lead gives their cohort."""

    code = forms.CharField(label="Invite code", max_length=40)


@rate_limit("secret")
@require_http_methods(["GET", "POST"])
@login_required
def cohort_join(request):
    form = JoinForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                cohort = supervision_services.cohort_join(
                    trainee=request.user, code=form.cleaned_data["code"]
                )
            except ValidationError as exc:
                form.add_error("code", " ".join(exc.messages))
            else:
                messages.success(request, f"You have joined {cohort.name}.")
                return redirect("progress:dashboard")
    return render(request, "supervision/join.html", {"form": form}, status=status)
