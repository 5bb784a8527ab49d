"""Small factories shared by the tests. They go through the same services as the product."""

from home import services
from home.roles import Role

PASSWORD = "a-long-test-passphrase"


def make_user(role: Role, *, email: str, display_name: str = "", superuser: bool = False):
    return services.user_create(
        email=email,
        password=PASSWORD,
        role=role,
        display_name=display_name,
        profession="nurse",
        is_superuser=superuser,
    )
