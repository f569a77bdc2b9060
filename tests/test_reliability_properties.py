"""Property tests of domain rules: slugs, tags, HTML sanitising and TI cursors."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from coursegate.dialects.thoughtindustries.paging import decode_cursor, encode_cursor
from coursegate.domain.catalog import ALLOWED_TAGS, _normalize_tags, sanitize_html
from coursegate.domain.errors import Invalid
from coursegate.platform.ids import SLUG_PATTERN, slugify
from tests.conftest import Tenant
from tests.reliability_support import fresh_app, fuzz_settings, seed_site, ti_error_envelope

FAST = fuzz_settings(150)


@FAST
@given(st.text())
def test_slugify_is_always_a_valid_idempotent_slug(text: str) -> None:
    slug = slugify(text, 60)
    assert SLUG_PATTERN.match(slug) and len(slug) <= 60
    assert slugify(slug, 60) == slug


async def test_titles_that_slugify_alike_get_distinct_slugs(tenant: Tenant) -> None:
    titles = ["Hello World", "hello-world", "HELLO   world!!", "Héllo Wörld", "hello world"]
    slugs = []
    for index, title in enumerate(titles):
        response = await tenant.ti(
            "POST", "/courses", json={"title": f"{title}{' ' * index}x", "courseType": "course"}
        )
        assert response.status_code == 201, response.text
        slugs.append(response.json()["slug"])
    assert len(set(slugs)) == len(slugs)
    assert all(SLUG_PATTERN.match(s) for s in slugs)


tag_text = st.text(alphabet=st.sampled_from("aAbB \t\n-é"), max_size=8)


@FAST
@given(st.lists(tag_text, max_size=12))
def test_tag_normalisation(labels: list[str]) -> None:
    tags = _normalize_tags(labels)
    keys = [t.lower() for t in tags]
    assert len(keys) == len(set(keys)), "case-insensitive duplicates survive"
    assert all(t and t == " ".join(t.split()) for t in tags), "untrimmed or empty tag"
    assert _normalize_tags(tags) == tags
    wanted = {" ".join(x.split()).lower() for x in labels if x.split()}
    assert set(keys) == wanted


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<iframe src=//evil>",
    "<p>fine</p>",
    "<<script>>",
    "</script><script>",
    "<!--<script>-->",
    "<style>*{}</style>",
    "&lt;script&gt;",
    "<math><mi//xlink:href=javascript:x>",
]


class _Tags(HTMLParser):
    """Every element and attribute a browser would build from the markup."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


@FAST
@given(st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=10)), max_size=8))
def test_sanitised_html_never_carries_script(parts: list[str]) -> None:
    cleaned = sanitize_html("".join(parts))
    parser = _Tags()
    parser.feed(cleaned)
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, cleaned
        for name, value in attrs:
            assert not name.startswith("on"), cleaned
            assert "javascript:" not in (value or "").lower().replace(" ", ""), cleaned
    assert "<script" not in cleaned.lower()
    assert sanitize_html(cleaned) == cleaned


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)


@FAST
@given(st.dictionaries(st.sampled_from(["s", "v", "i"]), json_values, min_size=3))
def test_cursor_round_trip(payload: dict[str, Any]) -> None:
    assert decode_cursor(encode_cursor(payload), {"s", "v", "i"}) == payload


@FAST
@given(st.text(max_size=80))
def test_any_text_decodes_to_the_expected_keys_or_is_refused(raw: str) -> None:
    try:
        decoded = decode_cursor(raw, {"i"})
    except Invalid as exc:
        assert exc.problems[0].field == "cursor"
        return
    assert decoded is None or set(decoded) == {"i"}


def _forge(payload: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(payload)).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def ti_client(database_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    _subdomain, key = asyncio.run(seed_site(database_url, "cur"))
    with TestClient(fresh_app(database_url)) as client:
        yield client, {"Authorization": f"Bearer {key}"}


forged_payloads = st.one_of(
    json_values,
    st.fixed_dictionaries({"i": json_values}),
    st.fixed_dictionaries(
        {
            "s": st.sampled_from(["created_at:desc", "title:asc", "updated_at:asc"]),
            "v": json_values,
            "i": json_values,
        }
    ),
)


@fuzz_settings(60)
@given(payload=forged_payloads, cut=st.integers(0, 3))
def test_forged_and_truncated_cursors_are_refused_in_the_vendor_envelope(
    ti_client: tuple[TestClient, dict[str, str]], payload: Any, cut: int
) -> None:
    client, headers = ti_client
    cursor = _forge(payload)
    cursor = cursor[: len(cursor) - cut] if cut else cursor
    for path, params in (("/incoming/v2/users", {}), ("/incoming/v2/content", {"types": "course"})):
        response = client.get(path, params={**params, "cursor": cursor}, headers=headers)
        assert response.status_code in (200, 400), (path, cursor, response.text)
        assert ti_error_envelope(response.status_code, response.content) is None
