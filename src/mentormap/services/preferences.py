"""The user's own settings kept with her data: employer, home city, budget, working hours."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from sqlalchemy import event, select, text
from sqlalchemy.orm import ORMExecuteState, Session

from mentormap.errors import InvalidInput
from mentormap.services.context import Ctx


def _money(value: str) -> str:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise InvalidInput(f"{value!r} is not an amount of money, e.g. 2000.") from None
    if not amount.is_finite() or amount > Decimal("1e12"):
        raise InvalidInput(f"{value!r} is not an amount of money, e.g. 2000.")
    if amount < 0:
        raise InvalidInput("A budget cannot be negative.")
    return str(amount)


def _currency(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise InvalidInput(f"{value!r} is not a currency code such as GBP or USD.")
    return code


def _hours(value: str) -> str:
    from mentormap.domain.overlap import parse_hours

    parse_hours(value)
    return value.strip()


def _days(value: str) -> str:
    from mentormap.domain.overlap import parse_days

    parse_days(value)
    return value.strip().lower()


def _city(value: str) -> str:
    from mentormap.services.travel.cities import resolve_city

    return resolve_city(value).city.name


def _text(value: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise InvalidInput("Give a value.")
    return cleaned


def _my_addresses(value: str) -> str:
    from mentormap.domain.mail import normalize_address

    found = [a for a in value.replace(";", ",").replace(" ", ",").split(",") if a.strip()]
    cleaned = [normalize_address(a) for a in found]
    if not found or not all(cleaned):
        raise InvalidInput(f"{value!r} is not a list of email addresses, e.g. me@example.org.")
    return ", ".join(dict.fromkeys(cleaned))


def _folder(value: str) -> str:
    from pathlib import Path

    folder = Path(value.strip()).expanduser()
    if not folder.is_dir():
        raise InvalidInput(f"{value!r} is not a folder.")
    return str(folder.resolve())


def _port(value: str) -> str:
    if not value.strip().isdigit() or not 0 < int(value) < 65536:
        raise InvalidInput(f"{value!r} is not a port number.")
    return value.strip()


def _security(value: str) -> str:
    cleaned = value.strip().lower()
    if cleaned not in ("starttls", "ssl", "plain"):
        raise InvalidInput(f"Unknown security {value!r}; choose starttls, ssl or plain.")
    return cleaned


# Known keys, what they mean, and how a value is checked and cleaned.
KNOWN: dict[str, tuple[str, Callable[[str], str]]] = {
    "employer": ("Your company: people there count as inside, the rest as outside.", _text),
    "home_city": ("Where you live: contacts' visits are to this city.", _city),
    "coaching_budget": (
        "Yearly budget for coaching, courses and conferences, in `currency`.",
        _money,
    ),
    "currency": ("Currency of the budget and of spending totals (GBP, USD…).", _currency),
    "work_hours": ("Your working hours, e.g. 09:00-17:30 (default).", _hours),
    "work_days": ("Your working days, e.g. mon-fri (default) or mon,tue,thu.", _days),
    "me": ("Your own email addresses, for mail capture (comma-separated).", _my_addresses),
    "smtp_host": ("The mail server the daily digest is sent through.", _text),
    "smtp_port": ("Its port (default 587 with STARTTLS, 465 with TLS).", _port),
    "smtp_security": ("starttls (default), ssl, or plain (127.0.0.1 only).", _security),
    "smtp_user": ("The login at the mail server (the password goes to the keyring).", _text),
    "smtp_password_command": ("A command that prints the mail server's password.", _text),
    "smtp_from": ("The digest's From address.", _text),
    "digest_to": ("Where the daily digest goes (default: smtp_from).", _text),
    "semantic_model": (
        "The model2vec model folder search and who rank by meaning with "
        "(set by `mentormap semantic install`).",
        _folder,
    ),
}


def _rate(value: str) -> str:
    try:
        rate = Decimal(value.strip())
    except InvalidOperation:
        raise InvalidInput(f"{value!r} is not an exchange rate, e.g. 0.86.") from None
    if not rate.is_finite() or rate <= 0 or rate > Decimal("1e6"):
        raise InvalidInput(f"{value!r} is not an exchange rate, e.g. 0.86.")
    return str(rate)


# Settings kept per currency: `rate.EUR`, `budget.EUR` (the code after the dot).
PER_CURRENCY: dict[str, tuple[str, Callable[[str], str]]] = {
    "rate": (
        "What one unit of that currency is worth in `currency`, e.g. rate.EUR 0.86: "
        "spending in it then counts against your budget.",
        _rate,
    ),
    "budget": (
        "A yearly budget kept in that currency itself, e.g. budget.EUR 800.",
        _money,
    ),
}


def check_key(key: str) -> str:
    cleaned = key.strip().lower().replace("-", "_")
    prefix, dot, code = cleaned.partition(".")
    if dot and prefix in PER_CURRENCY:
        return f"{prefix}.{_currency(code)}"
    if cleaned not in KNOWN:
        choices = ", ".join([*KNOWN, *(f"{p}.XXX" for p in PER_CURRENCY)])
        raise InvalidInput(f"Unknown setting {key!r}; choose one of: {choices}.")
    return cleaned


def meaning_and_check(name: str) -> tuple[str, Callable[[str], str]]:
    """What a (checked) setting means and how its value is cleaned."""
    prefix, dot, _code = name.partition(".")
    return PER_CURRENCY[prefix] if dot else KNOWN[name]


def per_currency(prefs: dict[str, str], prefix: str) -> dict[str, Decimal]:
    """The `rate.XXX` or `budget.XXX` settings as {currency: amount}."""
    start = prefix + "."
    return {
        key[len(start) :]: Decimal(value) for key, value in prefs.items() if key.startswith(start)
    }


def get_preference(ctx: Ctx, key: str) -> str | None:
    """One setting of the owner's, or None. The first read in a unit of work reads them all
    (a handful of rows), so a screen that needs several settings asks once."""
    # A setting just added must be seen: flushing it also drops the copy (`_forget`).
    ctx.session.flush()
    return _settings(ctx).get(key)


_COPY = "mentormap_preferences"  # Session.info key: (owner, her settings) as read last


def _settings(ctx: Ctx) -> dict[str, str]:
    copy = ctx.session.info.get(_COPY)
    if copy is None or copy[0] != ctx.owner_id:
        # Plain SQL, so a command that reads one setting (search) need not load the models.
        rows = ctx.session.execute(
            text("SELECT key, value FROM preferences WHERE owner_id = :owner"),
            {"owner": ctx.owner_id},
        )
        copy = (ctx.owner_id, {key: value for key, value in rows})
        ctx.session.info[_COPY] = copy
    return copy[1]


def _forget(session: Session, *_args: object) -> None:
    """Any write may change a setting: the next read reads them again."""
    session.info.pop(_COPY, None)


def _forget_unless_select(state: ORMExecuteState) -> None:
    if not state.is_select:
        _forget(state.session)


event.listen(Session, "after_flush", _forget)
event.listen(Session, "do_orm_execute", _forget_unless_select)


def all_preferences(ctx: Ctx) -> dict[str, str]:
    from mentormap.models import Preference

    rows = ctx.session.execute(
        select(Preference.key, Preference.value)
        .where(Preference.owner_id == ctx.owner_id)
        .order_by(Preference.key)
    )
    return {key: value for key, value in rows}


def set_preference(ctx: Ctx, key: str, value: str) -> str:
    """Store a known setting after checking it; returns the cleaned value."""
    name = check_key(key)
    cleaned = meaning_and_check(name)[1](value)
    store_preference(ctx, name, cleaned)
    return cleaned


def store_preference(ctx: Ctx, key: str, value: str) -> None:
    """Keep `value` under `key` as it is, unchecked: for settings mentormap keeps for itself
    (a group's first speaker), which `config set` does not offer."""
    from mentormap.models import Preference

    row = ctx.session.scalar(
        select(Preference).where(Preference.owner_id == ctx.owner_id, Preference.key == key)
    )
    if row is None:
        ctx.session.add(Preference(owner_id=ctx.owner_id, key=key, value=value))
    else:
        row.value = value
    ctx.session.flush()


def unset_preference(ctx: Ctx, key: str) -> bool:
    from mentormap.models import Preference

    name = check_key(key)
    row = ctx.session.scalar(
        select(Preference).where(Preference.owner_id == ctx.owner_id, Preference.key == name)
    )
    if row is None:
        return False
    ctx.session.delete(row)
    ctx.session.flush()
    return True
