"""Sync with the phone: CardDAV address books both ways, CalDAV calendars and .ics addresses in."""
