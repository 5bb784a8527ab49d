"""Hypothesis strategies for hostile requests: field values, form bodies, encodings, methods.

Values mix what the page itself offers (valid), empty, huge, odd unicode, numbers as strings,
injection payloads and other people's ids; bodies come as multipart, urlencoded, JSON or raw
bytes with a wrong or broken content type.
"""

import json
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from hypothesis import strategies as st

MAX_HUGE = 100_000

PAYLOADS = [
    "' OR 1=1 --",
    '" OR ""="',
    "1; DROP TABLE home_user; --",
    "') UNION SELECT password FROM home_user --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ request.user.password }}",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "{% load log %}{% get_admin_log 10 as log %}",
    "${7*7}",
    "%(password)s",
    "{0.__class__}",
    "../../../../etc/passwd",
    "\\\\evil\\share",
    "//evil.example/",
    "https://evil.example/",
    "/\\evil.example",
    "%00",
    "%s%s%s%n",
    "\u202egnp.exe",  # right-to-left override
    "שלום عليكم",
    "🧠💥👩🏽‍⚕️",
    "e\u0301\u0301\u0301",
    "\x00",
    "a\x00b",
    "\ufeff",
    "\r\nSet-Cookie: x=1",
    "null",
    "undefined",
    "true",
    "[]",
    "{}",
    '{"a": 1}',
]

NUMBERS = [
    "0",
    "-0",
    "1",
    "-1",
    "2",
    "5",
    "6",
    "9",
    "99",
    "1e308",
    "-1e308",
    "1e-308",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "3.5",
    "0x10",
    "0b1",
    "1_000",
    " 1 ",
    "+1",
    "\uff11\uff12",  # full-width digits
    "\u0661\u0662",  # Arabic-Indic digits
    "\u00b2",  # a digit to str.isdigit(), not to int()
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "1" * 40,
    "9" * 5_000,  # past Python's 4,300-digit limit: int() raises ValueError
    "-" + "1" * 4_300,
]

# Sent in raw bodies, percent-encoded: invalid UTF-8, a lone surrogate, overlong encodings.
RAW_BYTES = [b"\xed\xa0\x80", b"\xff\xfe", b"\xc0\xaf", b"\x80", b"%", b"%zz", b"&&==", b"\x00"]

CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=bogus",
    "application/x-www-form-urlencoded; charset=utf-16",
    "multipart/form-data; boundary=nothing-like-the-body",
    "multipart/form-data",
    "application/json",
    "text/plain",
    "application/xml",
    "",
]

text = st.text(max_size=40)
huge = st.builds(
    lambda seed, n: (seed * (n // len(seed) + 1))[:n],
    st.text(min_size=1, max_size=8),
    st.integers(min_value=1_000, max_value=MAX_HUGE),
)
# Whole numbers of thousands of digits, around and past Python's 4,300-digit limit for int().
huge_number = st.integers(min_value=4_000, max_value=20_000).map(lambda n: "9" * n)
number = st.sampled_from(NUMBERS) | st.integers().map(str) | st.floats().map(repr) | huge_number
payload = st.sampled_from(PAYLOADS)


def scalar(valid: list[str], ids: list[str]):
    """One field value. ``valid`` holds what the form offers, ``ids`` other people's ids."""
    choices = [
        st.just(""),
        text,
        huge,
        number,
        payload,
        st.sampled_from(ids) if ids else st.nothing(),
        st.sampled_from(valid) if valid else st.nothing(),
    ]
    if valid:
        # Valid values most often, so that requests get past the first check.
        choices += [st.sampled_from(valid)] * 3
    return st.one_of(*choices)


def value(valid: list[str], ids: list[str]):
    one = scalar(valid, ids)
    return st.one_of(one, one, one, st.lists(one, min_size=2, max_size=4))


extra_key = st.one_of(
    text.filter(bool),
    st.sampled_from(
        [
            "__proto__",
            "a[b]",
            "next",
            "id",
            "pk",
            "user",
            "trainee",
            "csrfmiddlewaretoken",
            "_method",
        ]
    ),
)


def form_data(fields: dict[str, list[str]], ids: list[str]):
    """A form body: each real field present or not, with a hostile or valid value, and a few
    keys the form does not have."""
    known = st.fixed_dictionaries(
        {}, optional={name: value(sorted(valid), ids) for name, valid in fields.items()}
    )
    extras = st.dictionaries(extra_key, value([], ids), max_size=3)
    return st.builds(lambda a, b: {**b, **a}, known, extras)


DELETE = object()


def mutated_form(baseline: dict, fields: dict[str, list[str]], ids: list[str]):
    """The form as the page shows it, with a few fields changed to hostile values or removed
    (counts, ids and orders of inline panels and StreamFields included), and a few extra keys.
    This is how a big form (the page editor) gets past its first check."""
    names = sorted(set(baseline) | set(fields))
    per_field = {name: st.just(DELETE) | value(fields.get(name, []), ids) for name in names}
    change = st.sampled_from(names).flatmap(lambda n: st.tuples(st.just(n), per_field[n]))
    extras = st.dictionaries(extra_key, value([], ids), max_size=2)

    def apply(changes, extra):
        body = {**extra, **baseline}
        for name, new in changes:
            if new is DELETE:
                body.pop(name, None)
            else:
                body[name] = new
        return body

    return st.builds(apply, st.lists(change, max_size=4), extras)


upload = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.sampled_from(["a.txt", "../../x.png", "x.pdf", "nul\x00.csv", "é.docx"]),
    st.binary(max_size=200),
)


@dataclass
class FuzzRequest:
    role: str
    variant: str
    method: str
    data: dict
    query: dict
    encoding: str
    raw: bytes = b""
    content_type: str = ""

    def path_with_query(self, path: str) -> str:
        if not self.query:
            return path
        return f"{path}?{urlencode(self.query, doseq=True)}"

    def body(self) -> tuple[bytes, str]:
        """The request body and its content type."""
        if self.encoding == "multipart":
            return encode_multipart(BOUNDARY, self.data), MULTIPART_CONTENT
        flat = {k: v for k, v in self.data.items() if not isinstance(v, SimpleUploadedFile)}
        if self.encoding == "urlencoded":
            return urlencode(flat, doseq=True).encode(), "application/x-www-form-urlencoded"
        if self.encoding == "json":
            return json.dumps(flat).encode(), "application/json"
        encoded = urlencode(flat, doseq=True).encode()
        return encoded + self.raw, self.content_type

    def mentions(self, text: str) -> bool:
        """True when the request itself carries ``text`` (a response may echo it back)."""
        return text in repr(self.data) or text in repr(self.query)

    def describe(self) -> str:
        shown = {k: (v[:80] + f"...({len(v)})" if isinstance(v, str) and len(v) > 80 else v)
                 for k, v in self.data.items()}  # fmt: skip
        return (
            f"{self.method} as {self.role} ({self.variant}, {self.encoding}) "
            f"query={self.query!r:.300} data={shown!r:.1500}"
        )


BIG_FORM = 40  # fields; above this only the form as shown, mutated, is sent


def fuzz_requests(*, roles, variants, methods, fields, query_fields, ids, baseline=None):
    """Requests for one endpoint: its own methods mostly, any other now and then."""
    method = st.one_of(
        *[st.sampled_from(methods)] * 9,
        st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]),
    )
    encoding = st.sampled_from(["multipart"] * 3 + ["urlencoded"] * 3 + ["json", "raw"])
    raw = st.lists(st.sampled_from(RAW_BYTES), max_size=3).map(
        lambda parts: (
            b"&x=" + b"".join(quote(p).encode() if i % 2 else p for i, p in enumerate(parts))
        )
    )

    # Built once per endpoint: constructing strategies inside ``build`` costs more than drawing.
    if baseline and len(fields) > BIG_FORM:
        body = mutated_form(baseline, fields, ids)
    elif baseline:
        body = form_data(fields, ids) | mutated_form(baseline, fields, ids)
    else:
        body = form_data(fields, ids)
    query_alone = form_data(query_fields, ids)
    query_with_body = st.just({}) | query_alone
    roles_strategy, variants_strategy = st.sampled_from(roles), st.sampled_from(variants)
    content_type = st.sampled_from(CONTENT_TYPES)

    @st.composite
    def build(draw):
        chosen_method = draw(method)
        sends_body = chosen_method not in ("GET", "HEAD")
        data = draw(body) if sends_body else {}
        enc = draw(encoding)
        if enc == "multipart" and data and draw(st.booleans()):
            data[draw(extra_key)] = draw(upload)
        query = draw(query_with_body if sends_body else query_alone)
        return FuzzRequest(
            role=draw(roles_strategy),
            variant=draw(variants_strategy),
            method=chosen_method,
            data=data,
            query={k: v for k, v in query.items() if not isinstance(v, SimpleUploadedFile)},
            encoding=enc,
            raw=draw(raw) if enc == "raw" else b"",
            content_type=draw(content_type) if enc == "raw" else "",
        )

    return build()
