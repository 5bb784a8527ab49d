"""What the site keeps in caches (``home.caching``, ``home.redis_cache``) and how it is dropped."""

import secrets

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from home import caching
from home.models import HomePage
from home.redis_cache import SharedClientRedisCache

pytestmark = pytest.mark.django_db


@pytest.fixture
def shell(db):
    from home.seed import run

    run(lambda message: None)


def test_the_redis_cache_builds_one_client_per_pool_and_works_through_it():
    """Redis runs on these machines (TESTING.md); the cache is the production backend."""
    store = SharedClientRedisCache(
        "redis://127.0.0.1:6379/15", {"KEY_PREFIX": f"test-{secrets.token_hex(4)}"}
    )
    client = store._cache.get_client()
    assert store._cache.get_client(write=True) is client
    store.set("a", {"n": [1, 2]}, 30)
    store.set_many({"b": 2, "c": 3}, 30)
    assert store.get("a") == {"n": [1, 2]}
    assert store.get_many(["a", "b", "c", "missing"]) == {"a": {"n": [1, 2]}, "b": 2, "c": 3}
    assert store.incr("b") == 3
    assert store.decr("b", 2) == 1
    with pytest.raises(ValueError, match="not found"):
        store.incr("missing")
    assert store.get("missing") is None  # not created by the failed increment
    store.set("short", 5, 30)
    store.incr("short")
    assert 0 < store._cache.get_client().ttl(store.make_and_validate_key("short")) <= 30
    assert store.add("b", 9, 30) is False
    store.delete_many(["a", "b", "c"])
    assert store.get("a") is None
    assert store._cache.get_client() is client


def test_content_values_are_built_once_and_every_read_gets_its_own_copy():
    built = []

    def build():
        built.append(1)
        return {"titles": ["One"]}

    first = caching.for_content("titles", build)
    first["titles"].append("changed by one request")
    assert caching.for_content("titles", build) == {"titles": ["One"]}
    assert len(built) == 1
    caching.content_changed()
    assert caching.for_content("titles", build) == {"titles": ["One"]}
    assert len(built) == 2


def test_a_change_made_by_another_process_is_seen_within_a_second(monkeypatch):
    built = []
    caching.for_content("k", lambda: built.append(1) or "old")
    cache.set(caching.VERSION_KEY, 12345, 60)  # another host published
    assert caching.for_content("k", lambda: built.append(1) or "new") == "old"  # within 1 s
    now = caching.content.time.monotonic()
    monkeypatch.setattr(caching.content.time, "monotonic", lambda: now + 1.5)
    assert caching.for_content("k", lambda: built.append(1) or "new") == "new"
    assert len(built) == 2


def test_visitors_home_page_costs_no_queries_once_cached(client, shell):
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert queries.captured_queries == []


def test_privacy_settings_take_effect_at_once(client, shell):
    home = HomePage.objects.get()
    assert client.get("/").status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=home, restriction_type=PageViewRestriction.PASSWORD, password="letmein-2026"
    )
    response = client.get("/")
    assert b'name="password"' in response.content
    # What the admin asks of the restrictions still goes to the database.
    assert home.get_view_restrictions().exists()
    restriction.delete()
    response = client.get("/")
    assert b'name="password"' not in response.content
    assert not home.get_view_restrictions().exists()


def test_a_login_restriction_on_a_parent_applies_to_the_pages_below(client, shell):
    from django.contrib.auth.models import Group

    from tests.curriculum.conftest import build_course

    _index, _modules, lessons = build_course(modules=1, lessons_per_module=1)
    taster = lessons[0]  # open to visitors
    assert client.get(taster.url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=HomePage.objects.get(), restriction_type=PageViewRestriction.GROUPS
    )
    response = client.get(taster.url)
    assert response.status_code == 302 and "login" in response["Location"]
    restriction.groups.add(Group.objects.create(name="Reviewers"))  # m2m change, same rule
    assert client.get(taster.url).status_code == 302


def test_the_shell_caches_name_no_domain_app():
    """Which tables are a person's records comes from their ``personal_data`` declarations, and
    each domain app connects its own tables (and who sees whom) from its ``AppConfig.ready``:
    no domain app's module or model label appears in the shell's caching or registry."""
    import re
    from pathlib import Path

    from home import personal_data

    domain = "competencies|assessments|curriculum|cases|supervision|privacy|progress|bench"
    named = re.compile(rf"(?:from|import)\s+(?:{domain})\b|[\"'](?:{domain})[.:]")
    for package in (caching, personal_data):
        for module in Path(package.__file__).parent.glob("*.py"):
            found = named.findall(module.read_text())
            assert found == [], f"{module} names a domain app: {found}"
