"""Account forms. Validation lives here; the writes are in services."""

from django import forms

from . import services
from .models import Profession, User
from .validators import validate_plain_name


class SignupDetailsForm(forms.Form):
    """Extra fields on allauth's sign-up form. allauth calls ``signup`` after creating the user."""

    display_name = forms.CharField(
        max_length=80,
        label="Your name",
        help_text="How your name appears to your supervisor.",
        validators=[validate_plain_name],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    profession = forms.ChoiceField(choices=[("", "Choose your profession"), *Profession.choices])
    speciality = forms.CharField(
        max_length=120, required=False, help_text="For example: stroke rehabilitation."
    )
    organisation = forms.CharField(
        max_length=160,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )

    field_order = ["email", "display_name", "profession", "speciality", "organisation"]

    def signup(self, request, user: User) -> None:
        services.trainee_register(
            user=user,
            display_name=self.cleaned_data["display_name"],
            profession=self.cleaned_data["profession"],
            speciality=self.cleaned_data.get("speciality", ""),
            organisation=self.cleaned_data.get("organisation", ""),
        )


class ProfileForm(forms.ModelForm):
    """The owner's profile: how they are named and what they do."""

    class Meta:
        model = User
        fields = ["display_name", "profession", "speciality", "organisation"]
        labels = {"display_name": "Your name"}
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        self.fields["profession"].required = True
