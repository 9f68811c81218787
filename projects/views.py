"""Pages of the project pipeline."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from crm import access


@login_required
def my_reviews(request):
    """A partner reviewer's inbox: the review requests routed to their bureau (none until projects are routed)."""
    if not access.is_reviewer(request.user):
        raise Http404
    return render(request, "projects/my_reviews.html", {"bureau": request.user.bureau, "requests": []})
