"""Thin views for the lesson routes and search: parse the request, call a service or selector,
render. Access to members-only pages is checked before any of these run (``wagtail_hooks``)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from assessments import selectors as instrument_selectors

from . import glossary_selectors, selectors, services
from .blocks import FeedbackLoopBlock, InstrumentBlock


class ReflectionForm(forms.Form):
    # Emptiness and length are the service's rules, with its messages.
    text = forms.CharField(required=False, strip=True)
    # Who can read it: private unless the trainee chooses to share it (anything else: private).
    readers = forms.CharField(required=False)


def _needs_post(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def lesson_complete(request, lesson):
    """POST: mark the lesson complete for the current person, then back to the lesson."""
    if refusal := _needs_post(request):
        return refusal
    _, created = services.lesson_complete(user=request.user, lesson=lesson)
    if created:
        messages.success(request, f"“{lesson.title}” is marked as complete.")
    else:
        messages.info(request, f"You had already completed “{lesson.title}”.")
    return redirect(lesson.get_url(request) + "#lesson-status")


def reflection_save(request, lesson, block_id):
    """POST: save a private reflection. Invalid input re-renders the lesson with the text kept."""
    if refusal := _needs_post(request):
        return refusal
    form = ReflectionForm(request.POST)
    shared = request.POST.get("readers") == "supervisors"
    error = None
    if form.is_valid():
        try:
            services.reflection_save(
                user=request.user,
                lesson=lesson,
                block_id=block_id,
                text=form.cleaned_data["text"],
                shared=shared,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            readers = "Your supervisors can read it." if shared else "Only you can read it."
            messages.success(request, f"Your reflection has been saved. {readers}")
            return redirect(lesson.get_url(request) + f"#reflection-{block_id}")
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    context = lesson.get_context(request)
    context["reflection_error"] = {"block_id": block_id, "message": error}
    context["reflections"] = {
        **context["reflections"],
        block_id: request.POST.get("text", "")[: services.REFLECTION_MAX_CHARS * 2],
    }
    others = context.get("reflections_shared", frozenset()) - {block_id}
    context["reflections_shared"] = others | ({block_id} if shared else set())
    status = 404 if block_id not in services.reflection_block_ids(lesson) else 400
    return TemplateResponse(request, lesson.get_template(request), context, status=status)


def instrument_practice(request, lesson, block_id):
    """GET: score a practice instrument in a lesson and show the lesson with the result beside
    the form (answers kept). Incomplete or impossible answers get a 400 and a clear message."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    block = next(
        (b for b in lesson.body if b.id == block_id and isinstance(b.block, InstrumentBlock)), None
    )
    if block is None:
        return render(request, "404.html", status=404)
    practice = instrument_selectors.instrument_practice(
        instrument=block.value["instrument"], data=request.GET
    )
    context = lesson.get_context(request)
    context["instrument_practice"] = {"block_id": block_id, **practice}
    status = 400 if practice.get("error") else 200
    return TemplateResponse(request, lesson.get_template(request), context, status=status)


def feedback_loop_figure(request, lesson):
    """GET: the feedback-loop figure alone, redrawn for ``?gain=``, for the slider script."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    for block in lesson.body:
        if isinstance(block.block, FeedbackLoopBlock):
            context = {
                "page": lesson,
                "request": request,
                "block_id": block.id,
                "loop_gain": selectors.requested_gain(request.GET),
            }
            return render(
                request,
                "curriculum/blocks/feedback_loop_block.html",
                block.block.get_context(block.value, parent_context=context),
            )
    return render(request, "404.html", status=404)


@require_GET
def search(request):
    query = request.GET.get("q", "")
    results = selectors.search_site(query=query, user=request.user)
    return render(
        request,
        "curriculum/search.html",
        {"query": query.strip()[:200], "results": results},
    )


@require_GET
def glossary(request):
    """The course glossary, A to Z, open to everyone like the syllabus (the lessons it links to
    stay for members)."""
    sections = glossary_selectors.glossary_sections()
    return render(request, "curriculum/glossary.html", {"sections": sections})
