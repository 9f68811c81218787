"""Enumerations of the leads app, and the lead state machine as data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadSource(models.TextChoices):
    EVENT = "event", _("Promotion event")
    INTERMEDIARY = "intermediary", _("Intermediary")
    REFERRAL = "referral", _("Referral by an enterprise")
    ASSIGNED = "assigned", _("Assigned by superiors")
    PROSPECTING = "prospecting", _("Own prospecting")
    INBOUND = "inbound", _("Inbound call or visit")


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    FOLLOWING = "following", _("Following")
    CONVERTED = "converted", _("Converted to a project")
    SHELVED = "shelved", _("Shelved")
    INVALID = "invalid", _("Invalid")


# The whole lead machine. A converted lead is final (the project carries it on); a shelved lead can be
# picked up again; an invalid one can be reopened when it was judged wrongly.
LEAD_MOVES = {
    LeadStatus.NEW: {LeadStatus.FOLLOWING, LeadStatus.CONVERTED, LeadStatus.SHELVED, LeadStatus.INVALID},
    LeadStatus.FOLLOWING: {LeadStatus.CONVERTED, LeadStatus.SHELVED, LeadStatus.INVALID},
    LeadStatus.SHELVED: {LeadStatus.FOLLOWING, LeadStatus.INVALID},
    LeadStatus.INVALID: {LeadStatus.FOLLOWING},
    LeadStatus.CONVERTED: set(),
}

# Statuses that need a written reason.
STATUSES_WITH_REASON = (LeadStatus.SHELVED, LeadStatus.INVALID)
# Statuses in which the lead is still being worked on.
OPEN_STATUSES = (LeadStatus.NEW, LeadStatus.FOLLOWING)


class IntroducerKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Intermediary organisation")


class MeetingKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    RECEPTION = "reception", _("Reception")
    CALL = "call", _("Call or video")
    EVENT_TALK = "event_talk", _("Talk at an event")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    RESCHEDULED = "rescheduled", _("Rescheduled")
    CANCELLED = "cancelled", _("Cancelled")


class EventKind(models.TextChoices):
    PROMOTION = "promotion", _("Promotion conference")
    EXPO = "expo", _("Trade fair")
    TOUR = "tour", _("Inspection tour")
    SYMPOSIUM = "symposium", _("Symposium")
    ONLINE = "online", _("Online")


class ClockState(models.TextChoices):
    """The colour of a response clock: met, within time, due today, overdue."""

    MET = "met", _("Done")
    GREEN = "green", _("On time")
    YELLOW = "yellow", _("Due today")
    RED = "red", _("Overdue")


class ImportStatus(models.TextChoices):
    ANALYSING = "analysing", _("Checking the file")
    PREVIEW = "preview", _("Waiting for confirmation")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Could not be read")


class ImportAction(models.TextChoices):
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    UNCHANGED = "unchanged", _("Unchanged")
    REJECT = "reject", _("Reject")
