"""A supervisor's own cohorts on the site: the cohort report about the trainees they supervise
today and no one else (the funnel, mastery by month, the inactive, the observations), its CSV, a
404 for a cohort without their trainees, and a query count that does not grow. Also the admin's
CSV exports of the cohort report and of routes through a case."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from analytics.selectors import cohort_report
from analytics.selectors.cohorts import cohorts_with_members
from competencies.selectors import elements_in_order
from home.roles import Role
from supervision import observing
from supervision import services as supervision_services
from supervision.models import Cohort, SupervisorAssignment
from tests.analytics.queries import page_queries
from tests.analytics.test_cohort_report import grow, make_ready, member, world  # noqa: F401
from tests.cases.conftest import play_best
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def split(world):  # noqa: F811
    """Spring: two trainees of Ana's (one ready, one never active), one of Ben's (ready), one
    nobody supervises, and one whose assignment to Ana ended last week."""
    cohort, settings = world["cohort"], world["settings"]
    ana = make_user(Role.SUPERVISOR, email="ana@test.example")
    ben = make_user(Role.SUPERVISOR, email="ben@test.example")
    mine_ready = member(cohort, "ready@test.example", name="Rhiannon Ready")
    mine_idle = member(cohort, "idle@test.example", name="Isaac Idle")
    bens = member(cohort, "bens@test.example", name="Bella Bens")
    member(cohort, "nobody@test.example", name="Nadia Nobody")
    former = member(cohort, "former@test.example", name="Fergus Former")
    for person in (mine_ready, mine_idle):
        supervision_services.supervisor_assign(supervisor=ana, trainee=person)
    supervision_services.supervisor_assign(supervisor=ben, trainee=bens)
    SupervisorAssignment.objects.create(
        supervisor=ana, trainee=former,
        starts_on=timezone.localdate() - datetime.timedelta(days=90),
        ends_on=timezone.localdate() - datetime.timedelta(days=7),
    )  # fmt: skip
    for person in (mine_ready, bens, former):
        make_ready(person, settings)
    element = elements_in_order()[0]
    for person in (mine_ready, bens):
        observing.observation_record(
            supervisor=ana if person == mine_ready else ben, trainee=person,
            observed_on=timezone.localdate(), setting=settings[0], activity="Assessment.",
            ratings={element.pk: 3}, went_well="Calm.", next_steps="Keep going.",
        )  # fmt: skip
    return {**world, "ana": ana, "ben": ben, "element": element}


def test_the_report_counts_only_the_supervisors_current_trainees(split):
    cohort, ana, element = split["cohort"], split["ana"], split["element"]
    whole = cohort_report(cohort)
    theirs = cohort_report(cohort, supervisor=ana)
    assert whole.members == 5 and theirs.members == 2
    assert {s.key: s.count for s in whole.funnel}["ready"] == 3
    funnel = {s.key: s.count for s in theirs.funnel}
    assert funnel["joined"] == 2 and funnel["ready"] == 1 and funnel["started"] == 1
    # Mastery this month: the cohort has three trainees at mastery of every element, Ana one.
    assert all(row.met[-1] == 3 for row in whole.mastery)
    assert all(row.met[-1] == 1 and row.percent[-1] == 50 for row in theirs.mastery)
    assert [p.name for p in theirs.inactive] == ["Isaac Idle"]
    assert {p.name for p in whole.inactive} == {"Isaac Idle", "Nadia Nobody"}
    observed = {row.code: (row.ratings, row.trainees) for row in theirs.observations}
    assert observed[element.code] == (1, 1)
    assert {row.code: row.ratings for row in whole.observations}[element.code] == 2


def test_the_list_shows_cohorts_with_the_supervisors_trainees_only(split):
    other = Cohort.objects.create(name="Autumn", starts_on=datetime.date(2025, 9, 1))
    member(other, "autumn@test.example")
    listed = {c.name: c.members_n for c in cohorts_with_members(supervisor=split["ana"])}
    assert listed == {"Spring 2026": 2}
    assert {c.name for c in cohorts_with_members()} == {"Spring 2026", "Autumn"}


def test_the_page_names_only_their_own_trainees(split, client):
    client.force_login(split["ana"])
    index = client.get(reverse("cohorts:mine"))
    assert index.status_code == 200 and b"Spring 2026" in index.content
    response = client.get(reverse("cohorts:report", args=[split["cohort"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "the 2 trainees you supervise in Spring 2026" in page
    assert "Isaac Idle" in page  # inactive, and Ana's
    for stranger in ("Nadia Nobody", "Bella Bens", "Fergus Former"):
        assert stranger not in page


def test_the_csv_holds_the_same_figures(split, client):
    client.force_login(split["ana"])
    url = reverse("cohorts:report", args=[split["cohort"].pk]) + "?format=csv"
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["Joined the cohort", "2", "100"] in rows
    assert ["Ready for sign-off", "1", "50"] in rows
    assert "Isaac Idle" in {r[0] for r in rows if r}
    assert "Nadia Nobody" not in {r[0] for r in rows if r}


def test_a_cohort_without_their_trainees_is_a_404(split, client):
    stranger = make_user(Role.SUPERVISOR, email="stranger@test.example")
    client.force_login(stranger)
    assert client.get(reverse("cohorts:report", args=[split["cohort"].pk])).status_code == 404
    index = client.get(reverse("cohorts:mine"))
    assert b"Spring 2026" not in index.content
    assert b"None of the trainees you supervise belongs to a cohort yet" in index.content
    client.force_login(split["ana"])
    for cohort_id in (999_999, 2**70):
        assert client.get(f"/supervision/cohorts/{cohort_id}/").status_code == 404


@pytest.mark.parametrize(
    ("role", "status"), [(Role.TRAINEE, 403), (Role.EDUCATOR, 403), (None, 302)]
)
def test_only_supervisors_open_the_site_pages(split, client, role, status):
    if role is not None:
        client.force_login(make_user(role, email="viewer@test.example"))
    for url in (reverse("cohorts:mine"), reverse("cohorts:report", args=[split["cohort"].pk])):
        response = client.get(url)
        assert response.status_code == status, url
        assert b"Isaac Idle" not in response.content


def test_query_count_does_not_grow_with_the_supervisors_trainees(split, client):
    cohort, settings, ana = split["cohort"], split["settings"], split["ana"]
    client.force_login(ana)
    url = reverse("cohorts:report", args=[cohort.pk])

    def grow_hers(n, start):
        grow(cohort, settings, n, start)
        for person in cohort.memberships.filter(trainee__email__startswith="big"):
            if not SupervisorAssignment.objects.filter(supervisor=ana, trainee=person.trainee):
                supervision_services.supervisor_assign(supervisor=ana, trainee=person.trainee)

    grow_hers(3, 0)
    small = page_queries(client, url), page_queries(client, reverse("cohorts:mine"))
    grow_hers(30, 3)
    large = page_queries(client, url), page_queries(client, reverse("cohorts:mine"))
    assert small == large and max(large) <= 15, (small, large)
    assert client.get(url).context["report"].members == 35


def test_the_admin_csv_exports(split, client):
    client.force_login(make_user(Role.EDUCATOR, email="edu@test.example"))
    cohort_csv = client.get(reverse("analytics:cohort_report_csv", args=[split["cohort"].pk]))
    rows = list(csv.reader(io.StringIO(cohort_csv.content.decode())))
    assert ["Joined the cohort", "5", "100"] in rows and ["Ready for sign-off", "3", "60"] in rows
    assert {"Isaac Idle", "Nadia Nobody"} <= {r[0] for r in rows if r}
    case = split["case"]
    play_best(trainee=make_user(Role.TRAINEE, email="player@test.example"), vignette=case)
    routes = client.get(reverse("analytics:case_routes_csv", args=[case.pk]))
    assert routes["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(routes.content.decode())))
    assert rows[0][:5] == ["Node", "Kind", "Title", "Reached", "Stopped here"]
    reached = [r for r in rows[1:] if len(r) == 7 and r[3] == "1"]
    assert reached, rows  # the one play reached its nodes, and the file says so
    assert any(r and r[0] == "Element" for r in rows)
