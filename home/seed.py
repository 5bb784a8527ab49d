"""Demo content owned by `home`: the home page and the demo accounts."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from wagtail.models import Page, Site

from . import services
from .demo import DEMO_ACCOUNTS, DEMO_TOTP_SECRET
from .middleware import needs_mfa
from .models import HomePage, User

HOME_PAGE = {
    "title": "Psychosocial competency for health and rehabilitation professionals",
    "slug": "home",
    "lead": (
        "Learn to notice the emotional and social side of every patient's story, "
        "and to know what might help."
    ),
    "competency_statement": (
        "Able to assess for and recognise the presence of emotional and social factors that "
        "are impacting on the patient, and to identify the interventions that may help."
    ),
    "intro": (
        "<p>Most of what shapes recovery is not in the scan or the blood test. Mood, beliefs "
        "about illness, money, housing, work and the people around a patient often decide "
        "whether a treatment plan works. Yet these factors are easy to miss: they are harder to "
        "see, harder to talk about and harder to fund than a new exercise programme.</p>"
        "<p>This course is for physiotherapists, occupational therapists, nurses, doctors, "
        "psychologists, speech and language therapists and social workers. It helps you ask "
        "the right questions, recognise what you hear, and match the person to support of the "
        "right kind and intensity.</p>"
    ),
    "features": [
        (
            "feature",
            {
                "heading": "Short modules",
                "text": "From the biopsychosocial model to stepped and trauma-informed care, "
                "in lessons you can finish between clinics.",
            },
        ),
        (
            "feature",
            {
                "heading": "Realistic cases",
                "text": "Branching patient stories in which you choose what to ask, what you "
                "notice and what to offer, with feedback on every choice.",
            },
        ),
        (
            "feature",
            {
                "heading": "Evidence for sign-off",
                "text": "Every decision counts as evidence for an element of the competency, "
                "so you and your supervisor can see exactly what is still needed.",
            },
        ),
    ],
}


def home_page_ensure() -> HomePage:
    """The site's home page, created and made the default site root if it does not exist."""
    existing = HomePage.objects.first()
    if existing:
        return existing
    root = Page.get_first_root_node()
    # Wagtail's migrations create a placeholder "Welcome" page; ours takes its place.
    placeholder = root.get_children().exclude(content_type__model="homepage").filter(slug="home")
    for page in placeholder:
        page.delete()
    home = HomePage(**HOME_PAGE)
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Psychosocial competency",
        )
    else:
        site.root_page = home
        site.site_name = "Psychosocial competency"
        site.save()
    return home


def _demo_accounts(log) -> dict[str, User]:
    accounts = {}
    for spec in DEMO_ACCOUNTS:
        user = User.objects.filter(email=spec["email"]).first()
        if user is None:
            fields = dict(spec.items())
            user = services.user_create(**fields)
            log(f"  created {spec['role'].value[:-1].lower()} account {spec['email']}")
        if needs_mfa(user) and not Authenticator.objects.filter(user=user).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
        accounts[spec["role"].value] = user
    return accounts


def run(log) -> None:
    home_page_ensure()
    _demo_accounts(log)
