"""The demo's inbox: in the demo (``make run``), email is written to a folder as readable files
and listed at /demo/mail/, so a person trying the site can open the verification email.

Never in production: the backend is named only by the development settings (``DEMO_MAIL``),
and the page answers 404 unless ``DEMO_MAIL`` is on.

Each message is one ``.eml`` file: a few headers and the plain-text body as UTF-8, not quoted-
printable, so that a link stays whole on one line and the file reads as it was written.
"""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

# The most messages the page lists (newest first); older files stay in the folder.
SHOWN = 50
_HEADERS = ("From", "To", "Cc", "Subject", "Date")


class DemoMailBackend(BaseEmailBackend):
    """Writes each message to ``OPTIONS["directory"]`` (created if missing)."""

    def __init__(self, *args, directory=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory = Path(directory or settings.DEMO_MAIL_DIR)

    def send_messages(self, email_messages):
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            try:
                write(self.directory, message)
            except OSError:
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent


def write(directory: Path, message) -> Path:
    now = datetime.now(UTC)
    headers = {
        "From": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "To": ", ".join(message.to),
        "Cc": ", ".join(message.cc),
        "Subject": message.subject,
        "Date": now.strftime("%a, %d %b %Y %H:%M:%S +0000"),
    }
    lines = [f"{name}: {' '.join(str(value).split())}" for name, value in headers.items() if value]
    lines += [
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        str(message.body),
    ]
    path = directory / f"{now:%Y%m%dT%H%M%S%f}-{secrets.token_hex(3)}.eml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@dataclass(frozen=True)
class DemoMail:
    name: str
    headers: dict
    body: str

    @property
    def subject(self) -> str:
        return self.headers.get("Subject", "(no subject)")


def read(path: Path) -> DemoMail:
    head, _, body = path.read_text(encoding="utf-8", errors="replace").partition("\n\n")
    headers = {}
    for line in head.splitlines():
        name, _, value = line.partition(": ")
        if name in _HEADERS:
            headers[name] = value
    return DemoMail(name=path.name, headers=headers, body=body)


def inbox(directory: Path | None = None) -> list[DemoMail]:
    """The newest messages first (at most ``SHOWN``)."""
    folder = Path(directory or settings.DEMO_MAIL_DIR)
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.eml"), reverse=True)[:SHOWN]
    return [read(path) for path in files]
