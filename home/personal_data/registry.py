"""The registry: every model that declares personal data, with its declaration.

Read by ``privacy`` (the export and the erasure walk it), by ``home.caching`` (which tables
move a person's records version) and by the test that proves nothing was forgotten.
"""

from functools import cache

from .declaration import PersonalData, Subject
from .third_party import THIRD_PARTY


@cache
def declared() -> tuple[tuple[type, PersonalData], ...]:
    """(model, declaration) for every installed model that holds data about a person: our
    models' own ``personal_data`` attribute, then the shell's declarations for third-party
    tables; in the order of INSTALLED_APPS."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue  # its rows are its concrete model's
        declaration = THIRD_PARTY.get(model._meta.label) or getattr(model, "personal_data", None)
        if isinstance(declaration, PersonalData):
            found.append((model, declaration))
    return tuple(found)


def declaration_for(model) -> PersonalData | None:
    return dict(declared()).get(model)


def person_column(model, declaration: PersonalData) -> str:
    """The attribute of a row that holds its person's id ("pk" on the user model itself)."""
    if declaration.person == "pk":
        return "pk"
    return model._meta.get_field(declaration.person).attname


def subject_for(user, *, pseudonym: str = "") -> Subject:
    """The person as they are now: with every name they could log in with (their username and
    email addresses), which the erasure of their login records needs after the addresses
    themselves are gone."""
    from allauth.account.models import EmailAddress

    logins = {user.username, user.email} | set(
        EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    )
    return Subject(
        user=user,
        logins=frozenset(login.lower() for login in logins if login),
        pseudonym=pseudonym,
    )
