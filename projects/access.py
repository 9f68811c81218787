"""Who sees and changes projects and the records of their review, built on crm.access.

Officers, leaders and administrators see every project. A partner reviewer sees only the projects with a
review request routed to their bureau (the talent bureau also those with a talent request), and on them only
what a reviewer needs: the summary and figures, the pre-check, the project's materials and the submitted
opinions of rounds their bureau takes part in; they reach a project only through their request, never through
the project's working pages. Officers change the projects they own or co-own, leaders every project;
administrators only look (403). Anything invisible answers 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from crm.access import can_work, is_bureau_staff, is_leader, is_reviewer
from projects.choices import REVIEWER_DOCUMENT_KINDS
from projects.models import Condition, Document, Opinion, Project, ReviewRequest, TalentRequest

# The partner bureau (crm.Bureau code) that answers talent requests, and so also sees the projects they are on.
TALENT_BUREAU = "talent"


def is_talent_reviewer(user) -> bool:
    return is_reviewer(user) and user.bureau.code == TALENT_BUREAU


# --- projects ---------------------------------------------------------------------------------------------


def projects_visible_to(user, *, working_pages: bool = False) -> QuerySet[Project]:
    """Every project for the bureau's people; for a reviewer only the projects routed to their bureau.

    With working_pages=True, the projects the user may open on the project's own pages, in the API's project
    endpoints and in awards: the bureau's people see them all, a reviewer none (they read a routed project
    through their review request).
    """
    if is_bureau_staff(user):
        return Project.objects.all()
    if is_reviewer(user) and not working_pages:
        routed = Q(Exists(ReviewRequest.objects.filter(round__project=OuterRef("pk"), bureau_id=user.bureau_id)))
        if is_talent_reviewer(user):
            routed |= Q(Exists(TalentRequest.objects.filter(project=OuterRef("pk"))))
        return Project.objects.filter(routed)
    return Project.objects.none()


def projects_editable_by(user) -> QuerySet[Project]:
    """The projects the user may change: an officer's own and co-owned ones, every project for a leader, none
    for anyone else. Awards are prepared for exactly these projects."""
    if not can_work(user):
        return Project.objects.none()
    if is_leader(user):
        return Project.objects.all()
    return Project.objects.filter(Q(owner=user) | Q(co_owners=user)).distinct()


def can_edit_project(user, project: Project) -> bool:
    """Whether projects_editable_by(user) holds the project. A leader and the owner are answered without a
    query, because every project page asks this; only a co-owner needs the database."""
    if not can_work(user):
        return False
    if is_leader(user) or project.owner_id == user.pk:
        return True
    return projects_editable_by(user).filter(pk=project.pk).exists()


def can_create_project(user) -> bool:
    return can_work(user)


def get_project_for_user(user, pk, *, write: bool = False) -> Project:
    """The project if the user may see it (else 404) and, with write=True, change it (else 403). Changes are
    made on the working pages, which a reviewer never reaches (404)."""
    project = (projects_visible_to(user, working_pages=write).select_related("enterprise", "industry", "area", "owner")
               .filter(pk=pk).first())
    if project is None:
        raise Http404
    if write and not can_edit_project(user, project):
        raise PermissionDenied
    return project


# --- review requests, opinions and documents -------------------------------------------------------------


def review_requests_visible_to(user) -> QuerySet[ReviewRequest]:
    if is_bureau_staff(user):
        return ReviewRequest.objects.all()
    if is_reviewer(user):
        return ReviewRequest.objects.filter(bureau_id=user.bureau_id)
    return ReviewRequest.objects.none()


def get_review_request_for_user(user, pk) -> ReviewRequest:
    request = (review_requests_visible_to(user)
               .select_related("round__project__enterprise", "round__project__industry", "round__project__area",
                               "round__project__owner", "bureau")
               .filter(pk=pk).first())
    if request is None:
        raise Http404
    return request


def opinions_visible_to(user) -> QuerySet[Opinion]:
    """Staff read every opinion; a reviewer reads the opinions of the rounds their bureau takes part in."""
    if is_bureau_staff(user):
        return Opinion.objects.all()
    if is_reviewer(user):
        return Opinion.objects.filter(request__round__requests__bureau_id=user.bureau_id).distinct()
    return Opinion.objects.none()


def documents_visible_to(user) -> QuerySet[Document]:
    """Staff open every file; a reviewer opens the materials of routed projects and the attachments of
    opinions in their rounds, never contracts or evidence of capital."""
    if is_bureau_staff(user):
        return Document.objects.all()
    if is_reviewer(user):
        in_my_round = Q(opinion__isnull=True) | Q(
            Exists(ReviewRequest.objects.filter(round_id=OuterRef("opinion__request__round_id"),
                                                bureau_id=user.bureau_id)))
        return Document.objects.filter(project__in=projects_visible_to(user), kind__in=REVIEWER_DOCUMENT_KINDS
                                       ).filter(in_my_round)
    return Document.objects.none()


def get_document_for_user(user, pk) -> Document:
    document = documents_visible_to(user).filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


# --- talent requests and conditions ----------------------------------------------------------------------


def talent_requests_visible_to(user) -> QuerySet[TalentRequest]:
    if is_bureau_staff(user) or is_talent_reviewer(user):
        return TalentRequest.objects.all()
    return TalentRequest.objects.none()


def get_talent_request_for_user(user, pk) -> TalentRequest:
    talent = talent_requests_visible_to(user).select_related("project", "answered_by").filter(pk=pk).first()
    if talent is None:
        raise Http404
    return talent


def conditions_visible_to(user) -> QuerySet[Condition]:
    """Conditions are worked on the project's pages; a reviewer reads them only inside the opinions."""
    return Condition.objects.filter(project__in=projects_visible_to(user, working_pages=True))


def get_condition_for_user(user, pk, *, write: bool = False) -> Condition:
    """The condition if the user may see it (else 404) and, with write=True, resolve it: whoever may change
    its project (else 403)."""
    condition = conditions_visible_to(user).filter(pk=pk).first()
    if condition is None:
        raise Http404
    if write:
        get_project_for_user(user, condition.project_id, write=True)
    return condition
