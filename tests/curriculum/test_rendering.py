"""Authored text is rendered safely: a list of XSS payloads through Markdown and rich text."""

import pytest
from bs4 import BeautifulSoup
from wagtail.rich_text import RichText

from curriculum.blocks import MarkdownBlock, SanitisedRichTextBlock
from curriculum.rendering import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="java&#x09;script:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    "[click](javascript:alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<input autofocus onfocus="alert(1)">',
    '<details open ontoggle="alert(1)">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '"><script>alert(1)</script>',
    "<a href=' javascript:alert(1)'>x</a>",
    '<p title="x" onclick="alert(1)">text</p>',
]
DANGEROUS_TAGS = {"script", "style", "iframe", "object", "embed", "form", "meta", "svg", "math",
                  "input", "button", "body", "link", "base"}  # fmt: skip


def _assert_safe(html: str):
    """Parse the output as a browser would and look for anything that could run."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name not in DANGEROUS_TAGS, html
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), html
            assert name.lower() != "style", html
            if name.lower() in {"href", "src", "action", "data", "formaction"}:
                scheme = "".join(ch for ch in str(value) if ch.isprintable() and not ch.isspace())
                assert not scheme.lower().startswith(("javascript:", "data:", "vbscript:")), html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_neutralises_payload(payload):
    _assert_safe(render_markdown(payload))
    _assert_safe(render_markdown(f"Some text\n\n{payload}\n\n- a list {payload}"))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_block_template_output_is_safe(payload):
    _assert_safe(MarkdownBlock().render(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_rich_text_stored_with_a_payload_renders_safely(payload, db):
    # As if the HTML reached the database without passing the editor's whitelist.
    block = SanitisedRichTextBlock()
    _assert_safe(block.render(RichText(f"<p>Hello</p>{payload}")))


def test_ordinary_markdown_survives():
    html = render_markdown(
        "## Heading\n\n**bold** and [a link](https://example.org)\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h2>Heading</h2>" in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer"' in html
    assert "<table>" in html and "<td>1</td>" in html


def test_there_are_at_least_twenty_payloads():
    assert len(XSS_PAYLOADS) >= 20


@pytest.mark.parametrize(
    "raw",
    [XSS_PAYLOADS[0], XSS_PAYLOADS[2], XSS_PAYLOADS[7], XSS_PAYLOADS[10], XSS_PAYLOADS[15]],
)
def test_the_safety_check_itself_catches_raw_payloads(raw):
    with pytest.raises(AssertionError):
        _assert_safe(raw)
