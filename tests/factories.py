"""Small factories shared by the tests. They go through the same services as the product."""

import datetime
import time

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from home import services
from home.middleware import needs_mfa
from home.roles import Role

PASSWORD = "a-long-test-passphrase"
# Staff roles must use two-factor login; the factory enrols them with this key unless told not to.
TOTP_SECRET = "JBSWY3DPEHPK3PXPTESTSONLYAAAAAAA"


def totp_code(secret: str = TOTP_SECRET, offset_steps: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset_steps))


def make_user(
    role: Role,
    *,
    email: str,
    display_name: str = "",
    superuser: bool = False,
    enrol_mfa: bool = True,
):
    user = services.user_create(
        email=email,
        password=PASSWORD,
        role=role,
        display_name=display_name,
        profession="nurse",
        is_superuser=superuser,
    )
    if enrol_mfa and needs_mfa(user):
        TOTP.activate(user, TOTP_SECRET)
    return user


def review_block(**changes) -> dict:
    """A content file's ``review`` block (owner and dates) as the importers require it."""
    block = {
        "owner": "Test Owner, education lead",
        "last_reviewed": datetime.date(2026, 3, 1),
        "next_review": datetime.date(2027, 3, 1),
    }
    return block | changes
