"""allauth's sign-up form, made to do the same work whether or not the address has an account.

With ``ACCOUNT_PREVENT_ENUMERATION`` allauth answers both the same way, but only a new account's
password is hashed: the hash (deliberately slow) made a sign-up for a known address measurably
faster. Here a known address's password is hashed too, and thrown away.

A module of its own: allauth's forms module builds its sign-up form on ``home.forms``
(``ACCOUNT_SIGNUP_FORM_CLASS``), so ``home.forms`` cannot import it.
"""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
