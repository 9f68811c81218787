"""Who sees and changes awards, built on crm.access and projects.access.

Awards are the bureau's business: officers, leaders and administrators see them; partner reviewers see
nothing of them (404). An application is prepared and submitted for exactly the projects its preparer may
change (projects.access.projects_editable_by: officers their own and co-owned ones, leaders any); only leaders
decide (approve, reject, return, cancel) and record payments.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from awards.models import AwardApplication, AwardPolicy, Instalment
from crm.access import is_bureau_staff, is_leader
from projects.access import can_edit_project, projects_editable_by, projects_visible_to
from projects.models import Project


def can_use_awards(user) -> bool:
    """The bureau's people (officers, leaders, administrators); partner reviewers never see awards."""
    return is_bureau_staff(user)


def require_awards(user) -> None:
    """Answer 404 to anyone outside the bureau, so an award page gives no hint that it exists."""
    if not can_use_awards(user):
        raise Http404


def can_prepare_application(user, project: Project) -> bool:
    """Officers prepare applications for the projects they own or co-own; leaders for any project."""
    return can_edit_project(user, project)


def projects_preparable_by(user) -> QuerySet[Project]:
    """The projects a user may prepare applications for, newest first, with their enterprise."""
    return projects_editable_by(user).select_related("enterprise").order_by("-created_at", "-id")


def can_decide_application(user) -> bool:
    """Approval, rejection, return, cancellation and payment are a leader's acts (领导审批)."""
    return is_leader(user)


def policies_visible_to(user) -> QuerySet[AwardPolicy]:
    if can_use_awards(user):
        return AwardPolicy.objects.all()
    return AwardPolicy.objects.none()


def get_policy_for_user(user, pk) -> AwardPolicy:
    policy = policies_visible_to(user).filter(pk=pk).first()
    if policy is None:
        raise Http404
    return policy


def applications_visible_to(user) -> QuerySet[AwardApplication]:
    if can_use_awards(user):
        return AwardApplication.objects.all()
    return AwardApplication.objects.none()


def get_application_for_user(user, pk, *, write: bool = False) -> AwardApplication:
    """The application if the user may see it (else 404) and, with write=True, prepare it (else 403)."""
    application = (applications_visible_to(user)
                   .select_related("project__enterprise", "project__owner", "policy", "introducer",
                                   "created_by", "approved_by")
                   .filter(pk=pk).first())
    if application is None:
        raise Http404
    if write and not can_prepare_application(user, application.project):
        raise PermissionDenied
    return application


def get_project_for_awards(user, pk, *, write: bool = False) -> Project:
    """A project as the awards pages see it: 404 outside the bureau, 403 to prepare someone else's."""
    project = (projects_visible_to(user, working_pages=True).select_related("enterprise", "industry", "owner")
               .filter(pk=pk).first())
    if project is None:
        raise Http404
    if write and not can_prepare_application(user, project):
        raise PermissionDenied
    return project


def get_instalment_for_user(user, pk) -> Instalment:
    instalment = (Instalment.objects.filter(application__in=applications_visible_to(user))
                  .select_related("application__project").filter(pk=pk).first())
    if instalment is None:
        raise Http404
    return instalment
