"""The competency framework as a plain document a supervisor can download, keep and share:
each element's description, what a supervisor looks for, what falls short, and further
reading. Markdown, because it reads well as plain text and opens in any editor."""

TITLE = "Psychosocial competency: what a supervisor looks for"

INTRODUCTION = (
    "The competency asks a health or rehabilitation professional to recognise the emotional "
    "and social factors affecting a person and to identify interventions that may help. It has "
    "five elements. For each, the behaviours below are examples of what a supervisor might see "
    "or hear in practice; they are indicative, not a checklist."
)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def as_markdown(elements) -> str:
    """The framework for ``elements`` (in their order) as one Markdown document."""
    lines = [f"# {TITLE}", "", INTRODUCTION, ""]
    for element in elements:
        lines += [f"## {element.order}. {element.name}", "", _one_line(element.description), ""]
        if element.indicative_behaviours:
            lines += ["### What a supervisor looks for", ""]
            lines += [f"- {_one_line(item)}" for item in element.indicative_behaviours]
            lines.append("")
        if element.not_yet:
            lines += ["### Not yet there", ""]
            lines += [f"- {_one_line(item)}" for item in element.not_yet]
            lines.append("")
        if element.further_reading:
            lines += ["### Further reading", ""]
            lines += [
                f"- {item['cite']}: {_one_line(item['note'])}" for item in element.further_reading
            ]
            lines.append("")
    return "\n".join(lines)
