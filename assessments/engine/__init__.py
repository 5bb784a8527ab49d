"""The pure rules of assessment: no Django, no Wagtail, no database (import-linter holds this).

Modules, each importing only those listed before it:

- ``scoring``: the scoring primitives every question kind and case node uses;
- ``instruments``: the published questionnaires (PHQ-9, GAD-7, STarT Back) and their exact scoring;
- ``mastery``: from item scores to an element's mastery, and the policy it is judged against;
- ``quiz_logic``: questions as data, drawn and scored;
- ``statistics``: the item analysis of a quiz's attempts (Moodle's definitions), standing alone.

Callers above (services, selectors, the case engine) pass plain values in and get plain values out.
"""
