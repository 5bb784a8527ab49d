"""Writes for accounts and profiles. Views, allauth's sign-up hook and seed_demo all call these."""

from django.contrib.auth.models import Group
from django.db import transaction

from .models import User
from .roles import Role
from .validators import validate_plain_name

PROFILE_FIELDS = ("display_name", "profession", "speciality", "organisation")


def profile_update(*, user: User, **fields: str) -> User:
    """Change the owner's profile. Only the profile fields may be passed."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(user, name, value.strip())
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=list(fields))
    return user


@transaction.atomic
def user_grant_role(*, user: User, role: Role) -> None:
    """Add a role (group membership). Idempotent; every change is written to the audit log."""
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)  # audited by the m2m_changed receiver in home/audit.py
    if hasattr(user, "_psycomp_roles"):
        del user._psycomp_roles


@transaction.atomic
def trainee_register(*, user: User, **profile: str) -> User:
    """Finish a self sign-up: store the profile and make the person a trainee."""
    profile_update(user=user, **profile)
    user_grant_role(user=user, role=Role.TRAINEE)
    return user


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str,
    role: Role,
    display_name: str = "",
    profession: str = "",
    organisation: str = "",
    speciality: str = "",
    is_superuser: bool = False,
) -> User:
    """Create an account with a verified email address and one role (administrators, demos)."""
    from allauth.account.models import EmailAddress

    email = email.strip().lower()
    validate_plain_name(display_name)
    user = User(
        username=email.split("@")[0][:150],
        email=email,
        display_name=display_name,
        profession=profession,
        organisation=organisation,
        speciality=speciality,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if User.objects.filter(username=user.username).exists():
        user.username = email[:150]
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    user_grant_role(user=user, role=role)
    return user
