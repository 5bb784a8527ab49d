"""Local development and the `make run` demo: DEBUG on, email to the demo's inbox (a folder,
read at /demo/mail/), an embedded SQLite file."""

from .base import *  # noqa: F403

# The benchmark's app (seed_scale, bench_prepare): development only, never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]

DEBUG = True
# A throwaway key for local use only; production refuses to start without its own.
SECRET_KEY = "dev-only-insecure-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ALLOW_DEMO_DATA = True
# Email goes to a folder, read at /demo/mail/ (home.demo_mail): the demo's inbox.
DEMO_MAIL = True
MAILERS = {
    "default": {
        "BACKEND": "home.demo_mail.DemoMailBackend",
        "OPTIONS": {"directory": str(DEMO_MAIL_DIR)},
    }
}
