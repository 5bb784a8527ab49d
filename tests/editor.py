"""Round trips through the Wagtail page editor, as an educator who opens a page and presses Save
without changing anything: GET the edit view, post back exactly what its form holds, and report
any validation error. Works for any page type (StreamFields, inline panels, rich text, choosers).

The editor draws StreamField blocks with JavaScript, so their inputs are not in the page's HTML;
``form_post_data`` renders each field (and each block's own widget) from the form's initial
values and reads back the inputs a browser would submit."""

from bs4 import BeautifulSoup
from django.http import QueryDict
from wagtail import blocks
from wagtail.blocks.base import BlockWidget

NOT_POSTED = {"submit", "button", "reset", "image", "file"}


def _inputs(html: str) -> QueryDict:
    """The name/value pairs a browser would submit for these controls: a checked box without a
    value sends "on", a textarea drops the one newline that follows its opening tag, a select
    with nothing selected sends its first option."""
    data = QueryDict(mutable=True)
    for control in BeautifulSoup(html, "html.parser").find_all(["input", "textarea", "select"]):
        name = control.get("name")
        if not name or control.has_attr("disabled"):
            continue
        if control.name == "textarea":
            text = control.get_text()
            data.appendlist(name, text[1:] if text.startswith("\n") else text)
        elif control.name == "select":
            options = control.find_all("option")
            chosen = [o for o in options if o.has_attr("selected")]
            if not chosen and options and not control.has_attr("multiple"):
                chosen = options[:1]
            for option in chosen:
                data.appendlist(name, option.get("value", option.get_text()))
        elif control.get("type", "text") in ("checkbox", "radio"):
            if control.has_attr("checked"):
                data.appendlist(name, control.get("value", "on"))
        elif control.get("type", "text") not in NOT_POSTED:
            data.appendlist(name, control.get("value", ""))
    return data


def _block_data(block, value, prefix: str, data: QueryDict) -> None:
    """Add the inputs the editor's block widgets would post for ``value`` under ``prefix``."""
    if isinstance(block, blocks.StreamBlock):
        data[f"{prefix}-count"] = str(len(value))
        for i, child in enumerate(value):
            item = f"{prefix}-{i}"
            data[f"{item}-type"] = child.block_type
            data[f"{item}-deleted"] = ""
            data[f"{item}-order"] = str(i)
            data[f"{item}-id"] = child.id or ""
            _block_data(child.block, child.value, f"{item}-value", data)
    elif isinstance(block, blocks.ListBlock):
        children = value.bound_blocks
        data[f"{prefix}-count"] = str(len(children))
        for i, child in enumerate(children):
            item = f"{prefix}-{i}"
            data[f"{item}-deleted"] = ""
            data[f"{item}-order"] = str(i)
            data[f"{item}-id"] = child.id or ""
            _block_data(block.child_block, child.value, f"{item}-value", data)
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            _block_data(child, value.get(name), f"{prefix}-{name}", data)
    elif isinstance(block, blocks.FieldBlock):
        field = block.field
        form_value = field.prepare_value(block.value_for_form(value))
        rendered = field.widget.render(prefix, form_value, attrs={"id": prefix})
        for key, values in _inputs(rendered).lists():
            data.setlist(key, values)
    else:
        raise TypeError(f"No form data for {type(block).__name__} at {prefix}")


def form_post_data(form) -> QueryDict:
    """What a browser would post for an unchanged form: every field at its initial value, every
    inline formset with its management form, recursively."""
    data = QueryDict(mutable=True)
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, BlockWidget):
            _block_data(widget.block_def, bound.value(), bound.html_name, data)
            continue
        for key, values in _inputs(str(bound)).lists():
            data.setlist(key, values)
    for formset in getattr(form, "formsets", {}).values():
        for key, values in _inputs(str(formset.management_form)).lists():
            data.setlist(key, values)
        for subform in formset.forms:
            for key, values in form_post_data(subform).lists():
                data.setlist(key, values)
    return data


def form_errors(form) -> list[str]:
    """Every error of an edit form and its nested formsets, as ``field: message`` lines."""
    lines = [
        f"{name}: {error.as_json_data() if hasattr(error, 'as_json_data') else error.messages}"
        for name, errors in form.errors.as_data().items()
        for error in errors
    ]
    for name, formset in getattr(form, "formsets", {}).items():
        lines += [f"{name}: {e}" for e in formset.non_form_errors()]
        for i, subform in enumerate(formset.forms):
            lines += [f"{name}[{i}] {line}" for line in form_errors(subform)]
    return lines


def save_unchanged(client, page):
    """GET ``page``'s edit view and post its form back unchanged (Save draft). Returns the
    response to the post and the errors of the form it was refused with (empty when saved)."""
    url = f"/admin/pages/{page.pk}/edit/"
    shown = client.get(url)
    assert shown.status_code == 200, f"{page}: the editor answered {shown.status_code}"
    data = form_post_data(shown.context["form"])
    posted = client.post(url, {key: data.getlist(key) for key in data})
    errors = form_errors(posted.context["form"]) if posted.status_code == 200 else []
    return posted, errors
