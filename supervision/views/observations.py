"""Observed practice: the supervisor records a direct observation of their trainee; the trainee
asks a supervisor to observe them, withdraws the request, and reflects on an observation."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from assessments.models import Observation
from assessments.selectors import mastery_policy
from competencies import selectors as competency_selectors
from competencies.models import ClinicalSetting
from home.ratelimit import rate_limit
from home.roles import Role, has_role
from supervision import selectors
from supervision import services as supervision_services
from supervision.models import ObservationRequest, SignOffRecord
from supervision.observing import TEXT_LIMIT
from supervision.views.access import supervisor_required

NO_IDENTIFIERS = (
    "Do not enter anything that could identify the patient: no names, dates of birth, NHS "
    "numbers, addresses, email addresses or phone numbers."
)
LEVELS = [("", "Not observed"), *SignOffRecord.Level.choices]


def _text_field(label: str, help_text: str = NO_IDENTIFIERS, required: bool = True):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ObservationForm(forms.Form):
    """What the supervisor saw, with a rating per element observed; the service checks the
    rest (the date, identifiers, at least one rating) and names the field at fault."""

    observed_on = forms.DateField(
        label="Date of the observation",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Today or earlier.",
    )
    setting = forms.ModelChoiceField(
        queryset=ClinicalSetting.objects.order_by("name"),
        label="Clinical setting",
        empty_label="Choose a setting",
    )
    activity = _text_field(
        "What you observed", f"The task and what the trainee did. {NO_IDENTIFIERS}"
    )
    went_well = _text_field("What went well")
    next_steps = _text_field("What to do next")
    observation_request = forms.IntegerField(required=False, widget=forms.HiddenInput)

    field_order = ["observed_on", "setting", "activity"]

    def __init__(self, *args, elements, **kwargs):
        super().__init__(*args, **kwargs)
        self.elements = elements
        rating_fields = {
            f"rating_{element.pk}": forms.TypedChoiceField(
                choices=LEVELS,
                coerce=int,
                empty_value=None,
                required=False,
                label=f"Rating for “{element.name}”",
            )
            for element in elements
        }
        fields = list(self.fields.items())
        at = [name for name, _ in fields].index("went_well")
        self.fields = dict(fields[:at] + list(rating_fields.items()) + fields[at:])

    def fields_with_elements(self):
        """Each visible field with the element it rates (None for the others), so the template
        can show what a supervisor looks for beside each rating."""
        by_name = {f"rating_{element.pk}": element for element in self.elements}
        return [(field, by_name.get(field.name)) for field in self.visible_fields()]

    def ratings(self) -> dict[int, int]:
        return {
            element.pk: self.cleaned_data[f"rating_{element.pk}"]
            for element in self.elements
            if self.cleaned_data.get(f"rating_{element.pk}")
        }


def _add_errors(form, exc: ValidationError) -> None:
    """The service's errors, each beside its field (or at the top when it has none)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@rate_limit("signoff")
@require_http_methods(["GET", "POST"])
@supervisor_required
def record_observation(request, trainee_id: int):
    person = selectors.assigned_trainee(supervisor=request.user, trainee_id=trainee_id)
    elements = competency_selectors.elements_in_order()
    initial = {"observation_request": request.GET.get("request", "")}
    form = ObservationForm(request.POST or None, elements=elements, initial=initial)

    def write(data):
        asked = None
        if data["observation_request"]:
            asked = ObservationRequest.objects.filter(pk=data["observation_request"]).first()
        supervision_services.observation_record(
            supervisor=request.user,
            trainee=person,
            observed_on=data["observed_on"],
            setting=data["setting"],
            activity=data["activity"],
            ratings=form.ratings(),
            went_well=data["went_well"],
            next_steps=data["next_steps"],
            observation_request=asked,
            request=request,
        )

    return _form_page(
        request,
        form,
        write=write,
        success="Observation recorded.",
        done=reverse("supervision:trainee", args=[person.pk]) + "#observations",
        template="supervision/observation_form.html",
        context={"person": person, "policy": mastery_policy()},
    )


def _trainee_done() -> str:
    """Where a trainee returns after a form about observed practice."""
    return reverse("progress:dashboard") + "#observations-title"


def _form_page(request, form, *, write, success: str, done: str, template: str, context: dict):
    """A form about observed practice: GET shows it; a valid POST calls ``write`` (a service)
    with the cleaned data, says ``success`` and goes to ``done``. Whatever the form or the
    service refuses is shown on the form, with status 400, and nothing is written."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                write(form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, success)
                return redirect(done)
    return render(request, template, {**context, "form": form}, status=status)


class AskForm(forms.Form):
    supervisor = forms.TypedChoiceField(coerce=int, label="Which supervisor")
    note = forms.CharField(
        required=False,
        max_length=2000,
        label="A note for your supervisor (optional)",
        help_text=f"When and where they could observe you, and what you would like feedback on. "
        f"{NO_IDENTIFIERS}",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.supervisors = {s.pk: s for s in supervisors}
        self.fields["supervisor"].choices = [(s.pk, s.name) for s in supervisors]


@rate_limit("signoff")
@login_required
@require_http_methods(["GET", "POST"])
def ask_observation(request):
    """The trainee asks one of their current supervisors to observe them."""
    if not has_role(request.user, Role.TRAINEE):
        raise PermissionDenied("Only trainees ask to be observed.")
    supervisors = list(selectors.supervisors_for_trainee(trainee=request.user))
    form = AskForm(request.POST or None, supervisors=supervisors)
    return _form_page(
        request,
        form,
        write=lambda data: supervision_services.observation_ask(
            trainee=request.user,
            supervisor=form.supervisors[data["supervisor"]],
            note=data["note"],
        ),
        success="Your request to be observed has been sent.",
        done=_trainee_done(),
        template="supervision/observation_ask.html",
        context={"supervisors": supervisors},
    )


@rate_limit("signoff")
@login_required
@require_POST
def withdraw_observation_request(request, request_id: int):
    asked = get_object_or_404(ObservationRequest, pk=request_id, trainee=request.user)
    try:
        supervision_services.observation_request_withdraw(
            trainee=request.user, observation_request=asked
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Your request to be observed has been withdrawn.")
    return redirect(_trainee_done())


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label="Your reflection",
        help_text="What you make of the observation and the feedback, and what you will do "
        f"next. Your supervisors can read it. You can write it once. {NO_IDENTIFIERS}",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


@rate_limit("signoff")
@login_required
@require_http_methods(["GET", "POST"])
def reflect_on_observation(request, observation_id: int):
    observation = get_object_or_404(
        Observation.objects.select_related("setting", "supervisor"),
        pk=observation_id,
        trainee=request.user,
    )
    return _form_page(
        request,
        ReflectionForm(request.POST or None),
        write=lambda data: supervision_services.observation_reflect(
            trainee=request.user, observation=observation, text=data["text"]
        ),
        success="Your reflection has been added.",
        done=_trainee_done(),
        template="supervision/observation_reflect.html",
        context={"observation": observation},
    )
