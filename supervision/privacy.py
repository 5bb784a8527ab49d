"""Everything the platform holds about one person, as plain data (their right of access).
Read-only; the view that serves it writes one audit entry. Which tables, and which columns of
them, is declared once on each model (``personal_data``, see ``home.personal_data``)."""

from django.utils.module_loading import import_string

from home.personal_data import declared, subject_for


def _rows(queryset, *fields):
    return [
        {f: (v.isoformat() if hasattr(v, "isoformat") else v) for f, v in row.items()}
        for row in queryset.values(*fields)
    ]


def personal_data(user) -> dict:
    """Every table's section of the download, as its model declares it (``export``), each
    with the rows about ``user``."""
    subject = subject_for(user)
    data = {}
    for model, declaration in declared():
        export = declaration.export
        if export is None:
            continue
        rows = model._default_manager.filter(declaration.selection(subject))
        if export.by:
            data[export.section] = import_string(export.by)(subject, rows)
        else:
            data[export.section] = _rows(rows, *export.fields)
    return data
