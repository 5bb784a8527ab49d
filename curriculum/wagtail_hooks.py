"""The curriculum's links on the visitors' home page (``home.models.visitor_links``): the free
taster lesson and the syllabus."""

from wagtail import hooks

from home.caching import for_content

from .models import CurriculumIndexPage, LessonPage


def _links() -> list[dict]:
    links = []
    taster = LessonPage.objects.live().public().filter(taster=True).order_by("path").first()
    if taster is not None:
        links.append({"url": taster.url, "text": f"Read the free taster lesson: {taster.title}"})
    course = CurriculumIndexPage.objects.live().public().first()
    if course is not None:
        links.append({"url": course.url, "text": "See the syllabus: modules, lessons and times"})
    return links


@hooks.register("home_visitor_links", order=10)
def visitor_links():
    return for_content("visitor-links:curriculum", _links)
