"""The registry of personal data (``home.personal_data``): every model with a path to a person
is declared, or left out on purpose with the reason written here; and every declaration is one
the export, the erasure and the per-person cache can carry out."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils.module_loading import import_string

from home import caching
from home.personal_data import (
    Erasure,
    Export,
    OnErasure,
    PersonalData,
    declaration_for,
    declared,
)

EDITORIAL = (
    "Wagtail's editorial bookkeeping (who owns, locked, revised, reviewed, commented on or "
    "uploaded content): the content belongs to the organisation, not to the editor; the row "
    "names the account by id, which an erasure keeps (renamed); not part of the download"
)
# Columns that point at a person, or at a table of a person's data, on models that are not
# declared: each on purpose. Keyed by the model that defines the column (a page's owner is
# wagtailcore.Page's, whatever the page type).
LEFT_OUT = {
    "wagtailcore.Page.owner": EDITORIAL,
    "wagtailcore.Page.locked_by": EDITORIAL,
    "wagtailcore.Revision.user": EDITORIAL,
    "wagtailcore.PageLogEntry.user": EDITORIAL,
    "wagtailcore.Comment.user": EDITORIAL,
    "wagtailcore.Comment.resolved_by": EDITORIAL,
    "wagtailcore.CommentReply.user": EDITORIAL,
    "wagtailcore.PageSubscription.user": EDITORIAL,
    "wagtailcore.TaskState.finished_by": EDITORIAL,
    "wagtailcore.WorkflowState.requested_by": EDITORIAL,
    "wagtailcore.UploadedFile.uploaded_by_user": EDITORIAL,
    "wagtailimages.Image.uploaded_by_user": EDITORIAL,
    "wagtaildocs.Document.uploaded_by_user": EDITORIAL,
    "wagtailadmin.EditingSession.user": "who has an edit form open now; Wagtail prunes them",
    "wagtailadmin.FormState.user": "an editor's unsaved admin form; Wagtail drops stale ones",
    "axes.AccessAttemptExpiration.access_attempt": (
        "a lockout's expiry time, nothing else: deleted with its attempt (on_delete CASCADE)"
    ),
    "wagtailcore.APIToken.user": "the Wagtail API is not served here, so no token is issued",
    "home.User_groups.user": (
        "the person's roles: part of the account row, exported with the profile ('roles'); "
        "an erased account is inactive, so they grant nothing"
    ),
    "home.User_user_permissions.user": (
        "part of the account row: cleared when it is pseudonymised (account_pseudonymise)"
    ),
}


def _links(model):
    """The model's own columns that point at another model (inherited ones are their parent's)."""
    return [
        field
        for field in model._meta.local_concrete_fields
        if field.is_relation and (field.many_to_one or field.one_to_one)
    ]


def _resolve(model, path: str):
    """The model a chain of fields ("attempt__trainee") leads to."""
    if path == "pk":
        return model
    for name in path.split("__"):
        field = model._meta.get_field(name)
        assert field.is_relation and (field.many_to_one or field.one_to_one), (model, name)
        model = field.related_model
    return model


def test_every_model_with_a_path_to_a_person_is_declared_or_left_out_on_purpose():
    """A column pointing at the user model, or at a table declared as a person's data (an
    answer's attempt, a confirmation's email address), makes the model a person's data too:
    it must declare what happens to it, or be listed in ``LEFT_OUT`` with the reason."""
    user_model = get_user_model()
    personal = {model for model, _ in declared()}
    used = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        declaration = declaration_for(model)
        for field in _links(model):
            target = field.related_model
            if target is not user_model and target not in personal:
                continue
            key = f"{model._meta.label}.{field.name}"
            if declaration is None:
                assert key in LEFT_OUT, (
                    f"{key} leads to a person: declare `personal_data` on {model._meta.label} "
                    "(home.personal_data; a third-party model in home/personal_data/"
                    "third_party.py), or add it to LEFT_OUT here, saying why"
                )
                used.add(key)
            elif target is user_model:
                person_root = (declaration.person or "").split("__")[0]
                assert field.name == person_root or field.name in declaration.others, (
                    f"{key} names a person: make it the declaration's `person`, or list it in "
                    "`others` (a row about someone else that merely names them)"
                )
    assert set(LEFT_OUT) - used == set(), "stale entries in LEFT_OUT"


def test_the_registry_holds_what_each_app_declares():
    labels = {model._meta.label for model, _ in declared()}
    assert {
        "home.User",
        "home.AuditEvent",
        "home.UserSession",
        "curriculum.LessonCompletion",
        "curriculum.ReflectionAnswer",
        "cases.VignetteAttempt",
        "cases.VignetteStep",
        "assessments.QuizAttempt",
        "assessments.QuizAnswer",
        "assessments.Evidence",
        "assessments.ItemScore",
        "assessments.ElementMastery",
        "supervision.SupervisorAssignment",
        "supervision.CohortMembership",
        "supervision.SignOffRequest",
        "supervision.SignOffRecord",
        "account.EmailAddress",
        "account.EmailConfirmation",
        "mfa.Authenticator",
        "axes.AccessAttempt",
        "wagtailusers.UserProfile",
        "wagtailcore.ModelLogEntry",
        "admin.LogEntry",
    } <= labels
    sections = [d.export.section for _, d in declared() if d.export is not None]
    assert len(sections) == len(set(sections)), "two tables export under the same section"


@pytest.mark.parametrize(
    ("model", "declaration"), declared(), ids=lambda v: getattr(v, "__name__", "")
)
def test_each_declaration_can_be_carried_out(model, declaration):
    user_model = get_user_model()
    if declaration.person is not None:
        assert _resolve(model, declaration.person) is user_model
    for name in declaration.others:
        assert _resolve(model, name) is user_model
    export = declaration.export
    if export is not None and export.by:
        assert callable(import_string(export.by))
    elif export is not None:
        model._default_manager.values(*export.fields).query.get_compiler("default").as_sql()
    erasure = declaration.erasure
    if erasure.by:
        assert callable(import_string(erasure.by))
    for name in erasure.fields:
        column = model._meta.get_field(name.split("__")[0])
        assert column.get_internal_type() in {"CharField", "TextField", "JSONField"}
    if erasure.action != OnErasure.KEEP and erasure.action != OnErasure.PSEUDONYMISE:
        assert erasure.label, "an erasure that removes rows reports them under a label"


def test_the_per_person_cache_follows_exactly_the_declared_records():
    user_model = get_user_model()
    expected = {
        model: ("pk" if model is user_model else model._meta.get_field(d.person).attname)
        for model, d in declared()
        if d.in_records
    }
    assert caching.record_models() == expected
    assert caching.records._record_columns == expected  # connected in HomeConfig.ready
    assert expected[user_model] == "pk"
    assert expected[apps.get_model("assessments.Evidence")] == "trainee_id"


def test_a_declaration_says_what_it_needs():
    with pytest.raises(ValueError, match="why"):
        Erasure.keep("")
    with pytest.raises(ValueError, match="fields to empty"):
        Erasure.pseudonymise("texts")
    with pytest.raises(ValueError, match="either the fields or a function"):
        Export("section")
    with pytest.raises(ValueError, match="person column, or give rows"):
        PersonalData(person=None, export=None, erasure=Erasure.delete("x"), in_records=False)
    with pytest.raises(ValueError, match="in_records"):
        PersonalData(
            person="attempt__trainee", export=None, erasure=Erasure.delete("x"), in_records=True
        )
    with pytest.raises(FieldDoesNotExist):
        _resolve(get_user_model(), "no_such_field")
