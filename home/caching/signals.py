"""What the shell itself connects to the caches (``HomeConfig.ready`` calls ``connect``):
Wagtail's page, privacy, site, image and document changes move the content version; saving
or deleting a row of any table declared ``in_records`` moves its person's records version.

Domain apps connect their own tables from their own ``AppConfig.ready`` (a catalogue, the
mastery policy, cohorts and assignments) and register who sees whom (``register_viewing``):
the shell names none of them.
"""

from django.db.models.signals import post_delete, post_save

from .content import content_changed
from .records import _record_columns, _record_saved, record_models


def on_save_or_delete(receiver, *models, signals=(post_save, post_delete)) -> None:
    """Connect ``receiver`` to the saving and deletion (or the given ``signals``) of each of
    ``models``, once however often it is called. What a domain app's ``AppConfig.ready`` uses to
    tell the shell's caches about its tables (``content_changed``, its own receivers)."""
    for model in models:
        for signal in signals:
            signal.connect(
                receiver,
                sender=model,
                dispatch_uid=f"{receiver.__module__}.{receiver.__name__}:"
                f"{model._meta.label}:{id(signal)}",
            )


def connect() -> None:
    """Connect the shell's receivers. Wagtail's models are imported here, once the apps are
    ready, because this package is imported by ``home.models``."""
    from django.db.models.signals import m2m_changed
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(content_changed, dispatch_uid=f"content_changed:{id(signal)}")
    post_delete.connect(content_changed, sender=Page, dispatch_uid="content_changed:page")
    # Privacy settings of pages (CachedViewRestrictionsMixin reads them from the cache).
    on_save_or_delete(content_changed, PageViewRestriction)
    m2m_changed.connect(
        content_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="content_changed:restriction-groups",
    )
    # Cached lesson bodies hold image renditions' and documents' URLs: an editor replacing or
    # deleting an image (Wagtail then deletes its renditions, and their files) or a document
    # must not leave them pointing at files that are gone. A new rendition is made while a page
    # renders, changing nothing cached, so only its deletion counts.
    image = get_image_model()
    on_save_or_delete(content_changed, Site, image, get_document_model())
    on_save_or_delete(content_changed, image.get_rendition_model(), signals=(post_delete,))
    _record_columns.update(record_models())
    on_save_or_delete(_record_saved, *_record_columns)
