"""How a model says that its rows are data about one person, and what the personal-data
export, an account erasure and the per-person cache do with them.

A model declares it once, as a class attribute (the way Wagtail models declare what they
reference for the reference index)::

    class ReflectionAnswer(models.Model):
        personal_data = PersonalData(
            person="user",
            export=Export("reflections", "lesson__title", "block_id", "text", "updated_at"),
            erasure=Erasure.delete("reflections"),
            in_records=True,
        )

``home.personal_data.registry`` collects the declarations; ``privacy`` (export and erasure) and
``home.caching`` (the per-person records version) read them, and a test proves that every model
with a path to the user model is declared or deliberately left out. Plain values only: nothing
here imports a model, so models can import it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import Q


@dataclass(frozen=True)
class Subject:
    """The person an export or an erasure is about, as they were when it began (an erasure
    changes their email addresses and username on the way, the selections below must not)."""

    user: Any
    logins: frozenset[str] = frozenset()  # username and email addresses, lower case
    pseudonym: str = ""  # what an erasure calls them from now on


@dataclass(frozen=True)
class Export:
    """A section of the personal-data download: ``section`` is its key; ``fields`` are the
    columns of each row (lookups across relations allowed, as ``values()`` takes them). ``by``
    names a function ``(subject, rows) -> data`` that builds the section instead."""

    section: str
    fields: tuple[str, ...] = ()
    by: str = ""

    def __init__(self, section: str, *fields: str, by: str = ""):
        if bool(fields) == bool(by):
            raise ValueError(f"Export {section!r}: give either the fields or a function (by).")
        object.__setattr__(self, "section", section)
        object.__setattr__(self, "fields", fields)
        object.__setattr__(self, "by", by)


# Why most of a person's records may stay after an erasure.
ANONYMOUS = "an anonymous record once the account is pseudonymised (it holds ids, not names)"


class OnErasure(StrEnum):
    DELETE = "delete"  # the rows are deleted
    PSEUDONYMISE = "pseudonymise"  # the rows stay; what identifies the person is emptied
    KEEP = "keep"  # the rows stay as they are (anonymous once the account is pseudonymised)


@dataclass(frozen=True, kw_only=True)
class Erasure:
    """What erasing the person's account does with their rows. Build one with ``delete``,
    ``pseudonymise`` or ``keep``.

    ``label`` is how ``erase_account`` reports the rows it changed; ``fields`` are the columns
    pseudonymising empties ("column__key" empties one key of a JSON column); ``by`` names a
    function ``(subject, rows) -> int`` that does the work instead (ending sessions wherever
    they are stored, rewriting the account row), returning how many rows it changed; ``why``
    says why kept rows may stay.
    """

    action: OnErasure
    label: str = ""
    fields: tuple[str, ...] = ()
    by: str = ""
    why: str = ""

    def __post_init__(self):
        if self.action == OnErasure.KEEP and not self.why:
            raise ValueError("Say why the rows are kept.")
        if self.action == OnErasure.PSEUDONYMISE and not (self.fields or self.by):
            raise ValueError("Name the fields to empty, or the function that pseudonymises.")

    @classmethod
    def delete(cls, label: str, *, by: str = "") -> "Erasure":
        return cls(action=OnErasure.DELETE, label=label, by=by)

    @classmethod
    def pseudonymise(cls, label: str, *fields: str, by: str = "") -> "Erasure":
        return cls(action=OnErasure.PSEUDONYMISE, label=label, fields=fields, by=by)

    @classmethod
    def keep(cls, why: str) -> "Erasure":
        return cls(action=OnErasure.KEEP, why=why)


@dataclass(frozen=True, kw_only=True)
class PersonalData:
    """Rows of this model are data about one person.

    - ``person``: the field, or chain of fields ("attempt__trainee"), naming the person a row
      belongs to; "pk" on the user model itself; ``None`` when only ``rows`` finds them.
    - ``rows``: for rows that the person column alone does not find (audit entries about the
      person, login records kept under the email typed), a function of the ``Subject`` giving
      the ``Q`` that selects them instead.
    - ``others``: the other columns naming a person (the supervisor who signed, the editor who
      acted): the row is not theirs; an erasure of them keeps it (their account stays, renamed).
    - ``export``: the section of the download, or ``None`` when the rows are not exported.
    - ``erasure``: what an erasure does with the rows.
    - ``in_records``: the rows feed what the person's dashboards and their supervisors' tables
      show, cached per person: saving or deleting one moves that person's records version
      (``home.caching``). Needs ``person`` to be a column of the model itself.
    """

    person: str | None
    export: Export | None
    erasure: Erasure
    in_records: bool
    others: tuple[str, ...] = ()
    rows: Callable[[Subject], Q] | None = field(default=None, compare=False)

    def __post_init__(self):
        if self.person is None and self.rows is None:
            raise ValueError("Name the person column, or give rows.")
        if self.in_records and (self.person is None or "__" in self.person):
            raise ValueError("in_records needs the person's column on the model itself.")

    def selection(self, subject: Subject) -> Q:
        """The rows about ``subject``."""
        if self.rows is not None:
            return self.rows(subject)
        return Q(**{self.person: subject.user.pk})
