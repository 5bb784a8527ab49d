"""What the shell itself connects to the caches (``HomeConfig.ready`` calls ``connect``):
Wagtail's page, privacy, site, image and document changes move the content version; saving
or deleting a row of any table declared ``in_records`` moves its person's records version.

Domain apps connect their own tables from their own ``AppConfig.ready`` (a catalogue, the
mastery policy, cohorts and assignments) and register who sees whom (``register_viewing``):
the shell names none of them.
"""

from .content import content_changed
from .records import _record_columns, _record_saved, record_models


def connect() -> None:
    """Connect the shell's receivers. Wagtail's models are imported here, once the apps are
    ready, because this package is imported by ``home.models``."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(content_changed, dispatch_uid=f"content_changed:{id(signal)}")
    post_delete.connect(content_changed, sender=Page, dispatch_uid="content_changed:page")
    # Privacy settings of pages (CachedViewRestrictionsMixin reads them from the cache).
    for signal in (post_save, post_delete):
        signal.connect(
            content_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"content_changed:restriction:{id(signal)}",
        )
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
    for model, signals in (
        (Site, (post_save, post_delete)),
        (image, (post_save, post_delete)),
        (image.get_rendition_model(), (post_delete,)),
        (get_document_model(), (post_save, post_delete)),
    ):
        for signal in signals:
            signal.connect(
                content_changed,
                sender=model,
                dispatch_uid=f"content_changed:{model._meta.label}:{id(signal)}",
            )
    _record_columns.update(record_models())
    for model in _record_columns:
        label = model._meta.label
        for signal in (post_save, post_delete):
            signal.connect(
                _record_saved, sender=model, dispatch_uid=f"records:{label}:{id(signal)}"
            )
