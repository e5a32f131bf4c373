"""Trips: the user's own (who to see while there) and contacts' visits to her city."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select

from mentormap.domain.cadence import Warmth
from mentormap.domain.geo import City, CityMatch, bounding_box, haversine_km
from mentormap.domain.roles import CATALOGUE, RoleKey
from mentormap.errors import InvalidInput, NotFound
from mentormap.models import Person, Trip
from mentormap.services.clock.standing import standings
from mentormap.services.context import Ctx
from mentormap.services.people.people import roles_by_person
from mentormap.services.travel.cities import resolve_city, try_resolve_city

MAX_RADIUS_KM = 2000.0

# What to suggest meeting for, by the closest role someone holds.
PROPOSE = {
    RoleKey.FRIEND: "dinner or a walk",
    RoleKey.WORK_FRIEND: "lunch off-site",
    RoleKey.ROLE_MODEL: "coffee + your top 2 challenges",
    RoleKey.VISIONARY: "short coffee, asked early",
    RoleKey.SPONSOR: "coffee + your recent wins",
    RoleKey.CHAMPION: "lunch, and a thank-you",
    RoleKey.COACH: "an in-person session",
    RoleKey.MENTEE: "coffee: let them talk",
    RoleKey.PEER: "drinks with the group",
    RoleKey.CONTACT: "lunch or coffee",
}
# Due ties first: a trip is the moment to catch up in person; then the dormant, then the warm.
BAND_ORDER = {Warmth.COOLING: 0, Warmth.COLD: 1, Warmth.DORMANT: 2, Warmth.WARM: 3, None: 3}


@dataclass
class TripView:
    id: int
    city: str
    region: str | None
    country: str | None
    start_on: date
    end_on: date
    visitor: str | None  # None: the user's own trip
    note: str | None
    timezone: str | None


@dataclass
class PlanEntry:
    person_id: int
    name: str
    city: str | None
    distance_km: float
    roles: list[str]
    warmth: str | None
    last_contact_on: date | None
    due_on: date | None
    propose: str
    preferred_format: str | None
    preferred_time: str | None


@dataclass
class TripPlan:
    trip: TripView
    radius_km: float
    people: list[PlanEntry]


@dataclass
class Away:
    """You are on a trip today: where, and who to see there (the plan's order)."""

    trip: TripView
    people: list[PlanEntry]


AWAY_PEOPLE = 8


@dataclass
class AddedTrip:
    trip: TripView
    others: list[str]  # other cities of the same name, when the name was ambiguous


def _view(trip: Trip) -> TripView:
    return TripView(
        id=trip.id,
        city=trip.city,
        region=trip.region,
        country=trip.country,
        start_on=trip.start_on,
        end_on=trip.end_on,
        visitor=trip.person.name if trip.person else None,
        note=trip.note,
        timezone=trip.timezone,
    )


def add_trip(
    ctx: Ctx,
    city: str,
    start_on: date,
    end_on: date,
    *,
    person: Person | None = None,
    note: str | None = None,
) -> AddedTrip:
    """Store a trip; with `person`, it is her visit to `city` (shown in the daily agenda)."""
    if end_on < start_on:
        raise InvalidInput(f"The trip ends ({end_on}) before it starts ({start_on}).")
    match: CityMatch = resolve_city(city)
    place = match.city
    trip = Trip(
        owner_id=ctx.owner_id,
        person_id=person.id if person else None,
        city=place.name,
        region=place.region,  # a readable name where known (US states), not a bare code
        country=place.country,
        latitude=place.latitude,
        longitude=place.longitude,
        timezone=place.timezone,
        start_on=start_on,
        end_on=end_on,
        note=note,
    )
    ctx.session.add(trip)
    ctx.session.flush()
    return AddedTrip(trip=_view(trip), others=[c.label for c in match.others])


def edit_trip(
    ctx: Ctx,
    trip: Trip,
    *,
    start_on: date | None = None,
    end_on: date | None = None,
    note: str | None = None,
) -> TripView:
    """Change a trip's days or note (a new city is a new trip); an empty note clears it."""
    start = start_on or trip.start_on
    end = end_on or trip.end_on
    if end < start:
        raise InvalidInput(f"The trip ends ({end}) before it starts ({start}).")
    trip.start_on, trip.end_on = start, end
    if note is not None:
        trip.note = note.strip() or None
    ctx.session.flush()
    return _view(trip)


def remove_trip(ctx: Ctx, trip: Trip) -> TripView:
    """Forget a trip (or a contact's visit); the people stay."""
    view = _view(trip)
    ctx.session.delete(trip)
    ctx.session.flush()
    return view


def list_trips(ctx: Ctx, include_past: bool = False) -> list[TripView]:
    query = select(Trip).where(Trip.owner_id == ctx.owner_id)
    if not include_past:
        query = query.where(Trip.end_on >= ctx.today())
    trips = ctx.session.scalars(query.order_by(Trip.start_on, Trip.id))
    return [_view(t) for t in trips]


def upcoming_visits(ctx: Ctx, days: int = 7) -> list[TripView]:
    """Contacts' visits that overlap the next `days` days: for the daily agenda."""
    from datetime import timedelta

    today = ctx.today()
    trips = ctx.session.scalars(
        select(Trip)
        .where(
            Trip.owner_id == ctx.owner_id,
            Trip.person_id.is_not(None),
            Trip.end_on >= today,
            Trip.start_on <= today + timedelta(days=days),
        )
        .order_by(Trip.start_on, Trip.id)
    )
    return [_view(t) for t in trips]


def find_trip(ctx: Ctx, text: str | None) -> Trip:
    """'#3' or '3' by id, a city name for her next trip there, nothing for her next trip."""
    base = select(Trip).where(Trip.owner_id == ctx.owner_id)
    if text and text.strip().lstrip("#").isdigit():
        trip = ctx.session.scalar(base.where(Trip.id == int(text.strip().lstrip("#"))))
        if trip is None:
            raise NotFound(f"No trip {text.strip()}; `mentormap trip list` shows them.")
        return trip
    upcoming = base.where(Trip.person_id.is_(None), Trip.end_on >= ctx.today())
    if text:
        from mentormap.domain.geo import fold

        wanted = fold(text.partition(",")[0])
        trips = [
            t
            for t in ctx.session.scalars(upcoming.order_by(Trip.start_on))
            if fold(t.city) == wanted
        ]
        if not trips:
            raise NotFound(
                f"No upcoming trip to {text.strip()!r}; `mentormap trip list` shows them."
            )
        return trips[0]
    trip = ctx.session.scalar(upcoming.order_by(Trip.start_on, Trip.id).limit(1))
    if trip is None:
        raise NotFound("No upcoming trip; add one with `mentormap trip add CITY --from --to`.")
    return trip


def people_near(
    ctx: Ctx, latitude: float, longitude: float, radius_km: float
) -> list[tuple[Person, float]]:
    """Unarchived people within `radius_km`, nearest first.

    Stored coordinates are pre-filtered in SQL by a bounding box; people with a city but no
    coordinates are placed through the city index (each distinct city name resolved once).
    """
    lo_lat, hi_lat, lo_lon, hi_lon = bounding_box(latitude, longitude, radius_km)
    box = [Person.latitude.between(lo_lat, hi_lat)]
    if lo_lon >= -180 and hi_lon <= 180:
        box.append(Person.longitude.between(lo_lon, hi_lon))
    # Otherwise the box crosses the date line: keep the latitude band and let haversine decide.
    rows = ctx.session.scalars(
        select(Person).where(
            Person.owner_id == ctx.owner_id,
            Person.archived.is_(False),
            or_(and_(*box), and_(Person.latitude.is_(None), Person.city.is_not(None))),
        )
    ).all()
    places: dict[tuple[str, str | None], City | None] = {}
    found = []
    for person in rows:
        if person.latitude is not None and person.longitude is not None:
            lat, lon = person.latitude, person.longitude
        else:
            key = (person.city or "", person.country)
            if key not in places:
                places[key] = try_resolve_city(person.city, person.country)
            place = places[key]
            if place is None:
                continue
            lat, lon = place.latitude, place.longitude
        distance = haversine_km(latitude, longitude, lat, lon)
        if distance <= radius_km:
            found.append((person, distance))
    found.sort(key=lambda pd: (pd[1], pd[0].name))
    return found


def plan_trip(ctx: Ctx, trip_text: str | None = None, radius_km: float = 50.0) -> TripPlan:
    """Who to see on a trip: people within the radius, due ties and closer roles first."""
    if not 0 < radius_km <= MAX_RADIUS_KM:
        raise InvalidInput(f"The radius must be between 1 and {MAX_RADIUS_KM:.0f} km.")
    trip = find_trip(ctx, trip_text)
    if trip.person_id is not None:
        raise InvalidInput(
            f"Trip #{trip.id} is {trip.person.name if trip.person else 'a contact'}'s visit to "
            f"{trip.city}; `trip plan` plans your own trips."
        )
    if trip.latitude is None or trip.longitude is None:
        place = try_resolve_city(trip.city, trip.country)
        if place is None:
            raise InvalidInput(f"Cannot place {trip.city!r} on the map.")
        trip.latitude, trip.longitude = place.latitude, place.longitude
    near = people_near(ctx, trip.latitude, trip.longitude, radius_km)
    held_roles = roles_by_person(ctx, [p.id for p, _d in near]) if near else {}
    where = standings(ctx, [p.id for p, _d in near])
    entries = []
    for person, distance in near:
        keys = held_roles.get(person.id, [])
        state = where.get(person.id)
        band = state.warmth if state else None
        due = state.due_on if state else None
        closest = RoleKey(keys[0]) if keys else RoleKey.CONTACT
        entries.append(
            (
                (BAND_ORDER[band], CATALOGUE[closest].rank, distance),
                PlanEntry(
                    person_id=person.id,
                    name=person.name,
                    city=person.city,
                    distance_km=round(distance, 1),
                    roles=keys,
                    warmth=band.value if band else None,
                    last_contact_on=person.last_contact_on,
                    due_on=due,
                    propose=PROPOSE[closest],
                    preferred_format=person.preferred_format,
                    preferred_time=person.preferred_time,
                ),
            )
        )
    entries.sort(key=lambda e: e[0])
    return TripPlan(trip=_view(trip), radius_km=radius_km, people=[e for _k, e in entries])


def away_today(ctx: Ctx, limit: int = AWAY_PEOPLE) -> Away | None:
    """Your own trip that covers today, with the first people of its plan; None when home."""
    today = ctx.today()
    trip = ctx.session.scalar(
        select(Trip)
        .where(
            Trip.owner_id == ctx.owner_id,
            Trip.person_id.is_(None),
            Trip.start_on <= today,
            Trip.end_on >= today,
        )
        .order_by(Trip.start_on, Trip.id)
        .limit(1)
    )
    if trip is None:
        return None
    try:
        plan = plan_trip(ctx, f"#{trip.id}")
    except InvalidInput:  # a city that cannot be placed on the map: the trip, without a plan
        return Away(trip=_view(trip), people=[])
    return Away(trip=plan.trip, people=plan.people[:limit])
