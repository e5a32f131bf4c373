"""IMAP accounts: adding one, listing them, forgetting one with all it brought in, and where
its password comes from (the system keyring or a command; never the database, never a log)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from mentormap.errors import InvalidInput, NotFound
from mentormap.models import Interaction, MailAccount, MailFolder, MailMessage
from mentormap.services.context import Ctx
from mentormap.services.mail.capture import remember_my_addresses
from mentormap.services.secrets import forget_secret, secret_for, store_secret

KEYRING_SERVICE = "mentormap-mail"
SECURITY = ("ssl", "starttls", "plain")
LOOPBACK = ("127.0.0.1", "::1", "localhost")


@dataclass
class FolderView:
    name: str
    uidvalidity: int | None
    last_uid: int


@dataclass
class AccountView:
    name: str
    host: str
    port: int
    username: str
    security: str
    password_from: str  # "keyring" or "command"
    last_sync_at: datetime | None
    messages: int
    folders: list[FolderView]


@dataclass
class Forgotten:
    interactions: int
    messages: int


def _clean_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > 100 or any(ch.isspace() for ch in cleaned):
        raise InvalidInput("An account name is one word of at most 100 characters, e.g. work.")
    return cleaned


def add_account(
    ctx: Ctx,
    name: str,
    *,
    host: str,
    user: str,
    port: int | None = None,
    folders: list[str] | None = None,
    security: str = "ssl",
    password_command: str | None = None,
    me: list[str] | None = None,
) -> MailAccount:
    cleaned = _clean_name(name)
    security = security.strip().lower()
    if security not in SECURITY:
        raise InvalidInput(f"Unknown security {security!r}; choose ssl, starttls or plain.")
    host = host.strip()
    if not host or len(host) > 255 or any(ch.isspace() for ch in host):
        raise InvalidInput(f"{host!r} is not a host name.")
    if security == "plain" and host not in LOOPBACK:
        raise InvalidInput(
            "Without TLS a password would cross the network in the clear; "
            "use --security ssl or starttls (plain is for 127.0.0.1 only)."
        )
    if port is None:
        port = 993 if security == "ssl" else 143
    if not 0 < port < 65536:
        raise InvalidInput(f"{port} is not a port number.")
    if not user.strip():
        raise InvalidInput("Give the login name (--user).")
    names = list(dict.fromkeys(f.strip() for f in (folders or ["INBOX"]) if f.strip()))
    if not names:
        raise InvalidInput("Name at least one folder (--folder INBOX).")
    if password_command is not None and not password_command.strip():
        raise InvalidInput("The password command is empty.")
    remember_my_addresses(ctx, me or [])
    exists = ctx.session.scalar(
        select(MailAccount.id).where(
            MailAccount.owner_id == ctx.owner_id, MailAccount.name == cleaned
        )
    )
    if exists is not None:
        raise InvalidInput(f"There is already a mail account called {cleaned}.")
    account = MailAccount(
        owner_id=ctx.owner_id,
        name=cleaned,
        host=host,
        port=port,
        username=user.strip(),
        security=security,
        password_command=password_command.strip() if password_command else None,
    )
    ctx.session.add(account)
    ctx.session.flush()
    for position, folder in enumerate(names):
        ctx.session.add(
            MailFolder(owner_id=ctx.owner_id, account_id=account.id, name=folder, position=position)
        )
    ctx.session.flush()
    return account


def get_account(ctx: Ctx, name: str) -> MailAccount:
    found = ctx.session.scalar(
        select(MailAccount).where(
            MailAccount.owner_id == ctx.owner_id, MailAccount.name == name.strip()
        )
    )
    if found is None:
        raise NotFound(f"No mail account called {name!r}; see `mentormap mail accounts`.")
    return found


def list_accounts(ctx: Ctx) -> list[MailAccount]:
    return list(
        ctx.session.scalars(
            select(MailAccount)
            .where(MailAccount.owner_id == ctx.owner_id)
            .order_by(MailAccount.name)
        )
    )


def folders_of(ctx: Ctx, account: MailAccount) -> list[MailFolder]:
    return list(
        ctx.session.scalars(
            select(MailFolder)
            .where(MailFolder.account_id == account.id)
            .order_by(MailFolder.position, MailFolder.id)
        )
    )


def account_views(ctx: Ctx) -> list[AccountView]:
    """Every account with its folders and how many messages it brought in (for CLI and web)."""
    counts: dict[int | None, int] = {
        account_id: count
        for account_id, count in ctx.session.execute(
            select(MailMessage.account_id, func.count())
            .where(MailMessage.owner_id == ctx.owner_id, MailMessage.account_id.is_not(None))
            .group_by(MailMessage.account_id)
        )
    }
    return [
        AccountView(
            name=a.name,
            host=a.host,
            port=a.port,
            username=a.username,
            security=a.security,
            password_from="command" if a.password_command else "keyring",
            last_sync_at=a.last_sync_at,
            messages=counts.get(a.id, 0),
            folders=[FolderView(f.name, f.uidvalidity, f.last_uid) for f in folders_of(ctx, a)],
        )
        for a in list_accounts(ctx)
    ]


def forget_account(ctx: Ctx, name: str) -> Forgotten:
    """Remove the account, its folders, its messages and the interactions they made."""
    from mentormap.models import InteractionParticipant
    from mentormap.services.conversations.interactions import refresh_last_contact

    account = get_account(ctx, name)
    made = select(MailMessage.interaction_id).where(
        MailMessage.account_id == account.id, MailMessage.interaction_id.is_not(None)
    )
    people = list(
        ctx.session.scalars(
            select(InteractionParticipant.person_id)
            .where(InteractionParticipant.interaction_id.in_(made))
            .distinct()
        )
    )
    messages = (
        ctx.session.scalar(select(func.count()).where(MailMessage.account_id == account.id)) or 0
    )
    removed = ctx.session.execute(
        delete(Interaction).where(Interaction.owner_id == ctx.owner_id, Interaction.id.in_(made)),
        execution_options={"synchronize_session": False},
    )
    ctx.session.execute(
        delete(MailMessage).where(MailMessage.account_id == account.id),
        execution_options={"synchronize_session": False},
    )
    ctx.session.delete(account)
    ctx.session.flush()
    refresh_last_contact(ctx, people)
    forget_password(account.name, account.username)
    return Forgotten(interactions=int(getattr(removed, "rowcount", 0) or 0), messages=messages)


# --- passwords ---------------------------------------------------------------------------------


def _keyring_user(account: str, user: str) -> str:
    return f"{account}:{user}"


def store_password(account: str, user: str, password: str) -> None:
    store_secret(KEYRING_SERVICE, _keyring_user(account, user), password)


def forget_password(account: str, user: str) -> None:
    forget_secret(KEYRING_SERVICE, _keyring_user(account, user))


def password_for(account: MailAccount) -> str:
    """The password from the account's command, else the keyring; one sentence if neither."""
    return secret_for(
        KEYRING_SERVICE,
        _keyring_user(account.name, account.username),
        account.password_command,
        account.name,
    )
