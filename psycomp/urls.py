"""URL configuration: accounts, the site's own views, the two admins, then Wagtail's page tree."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views

# Django's, Wagtail's admin and Wagtail's front-end login forms would log a person in with the
# password alone, past allauth's two-factor step and its rate limits: all go to allauth's login.
admin.site.login = secure_admin_login(admin.site.login)
to_allauth_login = RedirectView.as_view(pattern_name="account_login", query_string=True)

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/login/", to_allauth_login),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("", include("home.urls")),
    path("", include("progress.urls")),
    path("", include("competencies.urls")),
    path("", include("curriculum.urls")),
    path("", include("privacy.urls")),  # before supervision: it answers the old name's address
    path("", include("analytics.urls")),  # a supervisor's cohorts, under /supervision/
    path("", include("supervision.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    path("_util/login/", to_allauth_login),
    path("", include(wagtail_urls)),
]

handler400 = home_views.bad_request
handler404 = home_views.page_not_found
handler500 = home_views.server_error
