"""SQLAlchemy models for the whole domain. Every user-owned table carries `owner_id`."""

from mentormap.models.accounts import ApiToken, Invitation, LoginFailure, User, WebSession
from mentormap.models.activity import (
    Advice,
    AgendaItem,
    Favour,
    FollowUp,
    Interaction,
    InteractionParticipant,
)
from mentormap.models.base import LOCAL_OWNER_ID, Base, Owner, utcnow
from mentormap.models.career import (
    Achievement,
    AchievementShare,
    AchievementTag,
    Expense,
    Goal,
    Opportunity,
    Preference,
    Trip,
)
from mentormap.models.history import ClockDay, ClockHistory, ClockMark, ClockSpan
from mentormap.models.mail import MailAccount, MailAddress, MailFolder, MailMessage
from mentormap.models.network import Group, GroupMember, Role
from mentormap.models.people import (
    LifeEvent,
    Person,
    PersonAttribute,
    PersonEmail,
    PersonLink,
    PersonPhone,
    PersonTag,
    Tag,
)
from mentormap.models.practice import (
    FailureStory,
    MenteeNote,
    OfficeHour,
    OpportunityPass,
    Prospect,
)
from mentormap.models.search import SearchChange, SearchState, SearchVector
from mentormap.models.sync import Booking, SyncCard, SyncEvent, SyncSource

__all__ = [
    "LOCAL_OWNER_ID",
    "Achievement",
    "AchievementShare",
    "AchievementTag",
    "Advice",
    "AgendaItem",
    "ApiToken",
    "Base",
    "Booking",
    "ClockDay",
    "ClockHistory",
    "ClockMark",
    "ClockSpan",
    "Expense",
    "FailureStory",
    "Favour",
    "FollowUp",
    "Goal",
    "Group",
    "GroupMember",
    "Interaction",
    "InteractionParticipant",
    "Invitation",
    "LifeEvent",
    "LoginFailure",
    "MailAccount",
    "MailAddress",
    "MailFolder",
    "MailMessage",
    "MenteeNote",
    "OfficeHour",
    "Opportunity",
    "OpportunityPass",
    "Owner",
    "Person",
    "PersonAttribute",
    "PersonEmail",
    "PersonLink",
    "PersonPhone",
    "PersonTag",
    "Preference",
    "Prospect",
    "Role",
    "SearchChange",
    "SearchState",
    "SearchVector",
    "SyncCard",
    "SyncEvent",
    "SyncSource",
    "Tag",
    "Trip",
    "User",
    "WebSession",
    "utcnow",
]
