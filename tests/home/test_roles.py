"""Roles come from a data migration; only educators and administrators reach the admins."""

import pytest
from django.contrib.auth.models import Group

from home.roles import Role, can_use_admin, has_role, roles_of

pytestmark = pytest.mark.django_db


def test_the_four_role_groups_exist_after_migrations():
    names = set(Group.objects.values_list("name", flat=True))
    assert {r.value for r in Role} <= names


def test_only_educators_and_administrators_hold_admin_access():
    with_access = set(
        Group.objects.filter(permissions__codename="access_admin").values_list("name", flat=True)
    )
    assert {"Educators", "Administrators"} <= with_access
    assert not {"Trainees", "Supervisors"} & with_access


def test_educators_cannot_publish_but_administrators_can():
    def page_perms(name):
        group = Group.objects.get(name=name)
        return set(group.page_permissions.values_list("permission__codename", flat=True))

    assert "publish_page" not in page_perms("Educators")
    assert {"add_page", "change_page"} <= page_perms("Educators")
    assert "publish_page" in page_perms("Administrators")


@pytest.mark.parametrize("who", ["trainee", "supervisor"])
def test_trainees_and_supervisors_are_refused_by_the_wagtail_admin(client, request, who):
    user = request.getfixturevalue(who)
    assert not can_use_admin(user)
    client.force_login(user)
    for url in ("/admin/", "/admin/pages/", "/admin/users/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"authoring area is for educators and administrators" in response.content


@pytest.mark.parametrize("who", ["trainee", "supervisor", "educator"])
def test_the_django_admin_is_for_staff_only(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/django-admin/").status_code == 403


@pytest.mark.parametrize("who", ["educator", "administrator"])
def test_educators_and_administrators_reach_the_wagtail_admin(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert b"Dashboard" in response.content or b"wagtail" in response.content.lower()


def test_anonymous_admin_visitors_are_sent_to_the_site_login(client):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/?next=/admin/pages/")


def test_roles_are_read_once_and_cached(trainee, django_assert_num_queries):
    from django.core.cache import cache

    trainee = type(trainee).objects.get(pk=trainee.pk)
    cache.clear()  # roles are also cached across requests (home.caching)
    with django_assert_num_queries(1):
        assert roles_of(trainee) == {Role.TRAINEE}
        assert has_role(trainee, Role.TRAINEE)
        assert not has_role(trainee, Role.SUPERVISOR, Role.EDUCATOR)
