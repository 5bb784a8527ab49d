"""Documents uploaded in the admin are for members unless an educator puts them in the "Public
documents" collection (made by a data migration): a visitor gets the login page for any other,
members download it with the usual headers, and walking the sequential ids tells a visitor
nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from home.members import PUBLIC_DOCUMENTS

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def _upload(client, name, collection):
    response = client.post(
        "/admin/documents/add/",
        {
            "title": name,
            "collection": collection.pk,
            "file": SimpleUploadedFile(name, PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content[:2000]
    return get_document_model().objects.get(title=name)


@pytest.fixture
def documents(client, educator):
    public = Collection.objects.get(name=PUBLIC_DOCUMENTS)
    client.force_login(educator)
    private = _upload(client, "ward-rota.pdf", Collection.get_first_root_node())
    shared = _upload(client, "leaflet.pdf", public)
    client.logout()
    return private, shared


def _downloaded(response) -> bool:
    return (
        response.status_code == 200
        and response["Content-Disposition"].startswith("attachment")
        and response["X-Content-Type-Options"] == "nosniff"
        and response["Content-Security-Policy"] == "default-src 'none'"
        and b"".join(response.streaming_content) == PDF
    )


def test_the_migration_made_a_public_collection():
    public = Collection.objects.get(name=PUBLIC_DOCUMENTS)
    assert public.get_parent() == Collection.get_first_root_node()
    assert not public.get_view_restrictions().exists()


def test_visitors_get_the_login_page_for_a_members_document(client, documents):
    private, _ = documents
    response = client.get(private.url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/?next=")
    assert b"%PDF" not in response.content


def test_members_download_a_members_document(client, documents, trainee):
    private, _ = documents
    client.force_login(trainee)
    assert _downloaded(client.get(private.url))


def test_visitors_download_a_public_document(client, documents):
    _, shared = documents
    assert _downloaded(client.get(shared.url))


def test_walking_the_ids_tells_a_visitor_nothing(client, documents):
    private, _ = documents
    guessed = client.get(f"/documents/{private.pk}/guess.pdf")
    missing = client.get(f"/documents/{private.pk + 1000}/guess.pdf")
    assert guessed.status_code == missing.status_code == 404
    assert b"ward-rota" not in guessed.content
    assert guessed.content == missing.content
