"""SQLAlchemy models for the whole domain. Every user-owned table carries `owner_id`."""

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
from mentormap.models.search import SearchChange, SearchState, SearchVector

__all__ = [
    "LOCAL_OWNER_ID",
    "Achievement",
    "AchievementShare",
    "AchievementTag",
    "Advice",
    "AgendaItem",
    "Base",
    "Expense",
    "Favour",
    "FollowUp",
    "Goal",
    "Group",
    "GroupMember",
    "Interaction",
    "InteractionParticipant",
    "LifeEvent",
    "MailAccount",
    "MailAddress",
    "MailFolder",
    "MailMessage",
    "Opportunity",
    "Owner",
    "Person",
    "PersonAttribute",
    "PersonEmail",
    "PersonLink",
    "PersonPhone",
    "PersonTag",
    "Preference",
    "Role",
    "SearchChange",
    "SearchState",
    "SearchVector",
    "Tag",
    "Trip",
    "utcnow",
]
