"""The shell's own export and erasure steps, for what a plain ``values()`` or ``delete()``
cannot do: named by dotted path in the declarations (``home.models``, ``third_party``) and
called by ``privacy`` with the ``Subject`` and the rows the declaration selects."""

import secrets

from django.db.models import QuerySet

from home.sessions import end_all_sessions

from .declaration import Subject


def profile_export(subject: Subject, rows: QuerySet) -> dict:
    """The account's profile, with the person's roles (their groups)."""
    user = subject.user
    return {
        "email": user.email,
        "display_name": user.display_name,
        "profession": user.profession,
        "speciality": user.speciality,
        "organisation": user.organisation,
        "date_joined": user.date_joined.isoformat(),
        "roles": sorted(user.groups.values_list("name", flat=True)),
    }


def account_pseudonymise(subject: Subject, rows: QuerySet) -> int:
    """The account row stays, so that everything pointing at it stays whole: renamed to the
    pseudonym, inactive, with an unusable password (which also ends sessions held in a cache:
    their hash no longer fits), a random undeliverable email, no profile details and no
    permissions of its own."""
    user = subject.user
    user.username = f"erased-{user.pk}"
    user.email = f"erased-{secrets.token_hex(12)}@erased.invalid"
    user.display_name = subject.pseudonym
    user.first_name = user.last_name = ""
    user.profession = user.speciality = user.organisation = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.user_permissions.clear()
    return 0  # the account itself is not reported as removed


def sessions_end(subject: Subject, rows: QuerySet) -> int:
    """Every session the person logged in with, from whatever store holds it (database or
    Redis), not just the rows noting them."""
    return end_all_sessions(subject.user)


def admin_profile_delete(subject: Subject, rows: QuerySet) -> int:
    """Wagtail's admin profile, and the avatar file it points at."""
    deleted = 0
    for profile in rows:
        if profile.avatar:
            profile.avatar.delete(save=False)
        profile.delete()
        deleted += 1
    return deleted


def model_log_entries_relabel(subject: Subject, rows: QuerySet) -> int:
    """Wagtail's log entries about the account: the label and data held its name."""
    return rows.update(label=subject.pseudonym, data={})


def admin_log_entries_relabel(subject: Subject, rows: QuerySet) -> int:
    """The Django admin's log entries about the account: the object's name is the person's."""
    return rows.update(object_repr=subject.pseudonym)
