"""Admin screens for supervision: cohorts and assignments (administrators manage; educators
may view cohorts), and read-only views of sign-off records and the audit log, which nobody,
administrators and superusers included, can add to, edit or delete through the admin."""

from django.core.exceptions import ValidationError
from wagtail import hooks
from wagtail.admin.views.generic.models import CreateView, EditView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from home.models import AuditEvent
from supervision import panels, services
from supervision.models import Cohort, SignOffRecord, SupervisorAssignment


class ReadOnlyPolicy(ModelPermissionPolicy):
    """View only: add, change and delete are refused to everyone."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)


class ReadOnlyViewSet(ModelViewSet):
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields = []  # the form views exist but the policy refuses them to everyone


class AssignmentFormMixin:
    """The admin's assignment screens write through ``supervision.services`` (the same role
    checks and audit entry as everywhere else); what the service refuses is shown on the form,
    beside the field at fault, and nothing is saved."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)

    def _fields(self) -> dict:
        data = self.form.cleaned_data
        return {
            "supervisor": data["supervisor"],
            "trainee": data["trainee"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "actor": self.request.user,
            "request": self.request,
        }


class AuditedAssignmentCreate(AssignmentFormMixin, CreateView):
    def save_instance(self):
        assignment = services.supervisor_assign(**self._fields())
        log(assignment, "wagtail.create", user=self.request.user)  # the admin's own history
        return assignment


class AuditedAssignmentEdit(AssignmentFormMixin, EditView):
    def save_instance(self):
        assignment = services.supervisor_assignment_update(
            assignment=self.form.instance, **self._fields()
        )
        log(assignment, "wagtail.edit", user=self.request.user)
        return assignment


class CohortViewSet(ModelViewSet):
    model = Cohort
    icon = "group"
    form_fields = ["name", "starts_on", "ends_on", "invite_code"]
    # The invite code lets anyone join the cohort: only those who may edit a cohort
    # (administrators) see it, on the edit screen; educators' listing and inspect views omit it.
    list_display = ["name", "starts_on", "ends_on"]
    search_fields = ["name"]
    inspect_view_enabled = True
    inspect_view_fields_exclude = ["invite_code"]


class AssignmentViewSet(ModelViewSet):
    model = SupervisorAssignment
    icon = "user"
    menu_label = "Supervisor assignments"
    form_fields = ["supervisor", "trainee", "starts_on", "ends_on"]
    list_display = ["supervisor", "trainee", "starts_on", "ends_on"]
    add_view_class = AuditedAssignmentCreate
    edit_view_class = AuditedAssignmentEdit


class SignOffRecordViewSet(ReadOnlyViewSet):
    model = SignOffRecord
    icon = "success"
    menu_label = "Sign-off records"
    list_display = ["trainee", "decision", "level", "supervisor", "created_at"]
    list_filter = ["decision"]


class AuditEventViewSet(ReadOnlyViewSet):
    model = AuditEvent
    icon = "history"
    menu_label = "Audit log"
    list_display = ["created_at", "actor_label", "action", "target_type", "target_id", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_id"]


class SupervisionGroup(ViewSetGroup):
    menu_label = "Supervision"
    menu_icon = "group"
    menu_order = 250
    items = (CohortViewSet, AssignmentViewSet, SignOffRecordViewSet, AuditEventViewSet)


register_permission_policy(SignOffRecord, ReadOnlyPolicy(SignOffRecord))
register_permission_policy(AuditEvent, ReadOnlyPolicy(AuditEvent))


@hooks.register("register_admin_viewset")
def register_supervision_viewsets():
    return SupervisionGroup()


# Supervision's parts of the dashboard (progress.panels): the order is where each stands among
# the panels of its place.
@hooks.register("progress_dashboard_panels", order=10)
def sign_off_request_panel():
    return panels.SIGN_OFF_REQUEST


@hooks.register("progress_dashboard_panels", order=10)
def supervisors_panel():
    return panels.SUPERVISORS


@hooks.register("progress_dashboard_panels", order=10)
def trainees_panel():
    return panels.TRAINEES


@hooks.register("progress_dashboard_panels", order=5)
def observations_panel():
    return panels.OBSERVATIONS
