"""Uploads through the Wagtail admin: SVG refused, size and pixel limits, documents downloaded."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'


def png(width=20, height=20) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def _root_collection() -> int:
    """What the upload form's collection menu holds first, as a browser would send it (there
    are two collections: the root and "Public documents")."""
    return Collection.get_first_root_node().pk


def upload_image(client, name, content, content_type="image/png"):
    return client.post(
        "/admin/images/add/",
        {
            "title": name,
            "collection": _root_collection(),
            "file": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


@pytest.fixture
def author(client, educator):
    client.force_login(educator)
    return client


def test_an_educator_uploads_an_ordinary_image(author):
    response = upload_image(author, "ward.png", png())
    assert response.status_code == 302
    assert get_image_model().objects.filter(title="ward.png").exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("diagram.svg", SVG, "image/svg+xml"),
        ("diagram.png", SVG, "image/png"),  # an SVG dressed as a PNG
        ("page.html", b"<script>alert(1)</script>", "text/html"),
    ],
)
def test_svg_and_other_scriptable_files_are_refused_as_images(author, name, content, content_type):
    response = upload_image(author, name, content, content_type)
    assert response.status_code == 200  # the form again, with the reason
    assert b"error" in response.content.lower()
    assert not get_image_model().objects.exists()


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=2_000)
def test_images_over_the_size_limit_are_refused(author):
    big = png(400, 400) + b"\0" * 5_000
    response = upload_image(author, "big.png", big)
    assert response.status_code == 200
    assert not get_image_model().objects.exists()


@override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=100 * 100)
def test_images_over_the_pixel_limit_are_refused(author):
    response = upload_image(author, "wide.png", png(200, 200))
    assert response.status_code == 200
    assert b"pixels" in response.content
    assert not get_image_model().objects.exists()


def _upload_document(client, name, content, content_type):
    return client.post(
        "/admin/documents/add/",
        {
            "title": name,
            "collection": _root_collection(),
            "file": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


def test_documents_with_unsafe_extensions_are_refused(author):
    response = _upload_document(author, "handout.html", b"<script>alert(1)</script>", "text/html")
    assert response.status_code == 200
    assert not get_document_model().objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("handout.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        ("notes.txt", b"hello", "text/plain"),
    ],
)
def test_documents_are_served_as_downloads_through_wagtails_view(
    author, trainee, name, content, content_type
):
    assert _upload_document(author, name, content, content_type).status_code == 302
    document = get_document_model().objects.get()
    author.force_login(trainee)
    response = author.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert b"".join(response.streaming_content) == content
