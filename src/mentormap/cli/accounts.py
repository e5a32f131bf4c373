"""`mentormap user …` and `mentormap token …`: who signs in to a server, and API tokens."""

from __future__ import annotations

import sys

import typer

from mentormap.cli.common import JSON_OPTION, fmt_date, plain_table, print_json, say, state
from mentormap.errors import UserError

user_app = typer.Typer(
    help="Server accounts: add, list, disable and re-password the users who sign in.",
    no_args_is_help=True,
)
token_app = typer.Typer(
    help="Personal access tokens for the JSON API: create, list, revoke.", no_args_is_help=True
)

EMAIL = typer.Argument(..., metavar="EMAIL", help="The user's email address.")
PASSWORD_STDIN = typer.Option(
    False, "--password-stdin", help="Read the password from standard input instead of asking."
)


def read_password(from_stdin: bool) -> str:
    """The new password: one line of stdin with --password-stdin, else asked twice, hidden."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise UserError("No password on standard input.")
        return password
    if not sys.stdin.isatty():
        raise UserError("No terminal to ask for a password; pass --password-stdin and pipe it.")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@user_app.command("add")
def user_add(
    email: str = EMAIL,
    password_stdin: bool = PASSWORD_STDIN,
    admin: bool = typer.Option(False, "--admin", help="She may invite others and see all users."),
    local_network: bool = typer.Option(
        False,
        "--local-network",
        help="Give her the network local mode uses (what is already in this database) "
        "instead of a new, empty one.",
    ),
) -> None:
    """Add a user who can sign in to `mentormap serve --multi-user`, with her own network."""
    from mentormap.services.accounts.users import add_user

    password = read_password(password_stdin)
    with state().database().session() as db_session:
        user = add_user(db_session, email, password, admin=admin, local_network=local_network)
    role = "admin" if user.admin else "user"
    say(f"Added {role} {user.email} (network #{user.owner_id}).")


@user_app.command("list")
def user_list(as_json: bool = JSON_OPTION) -> None:
    """Every user, with whether she is an admin or disabled, and her last login."""
    from mentormap.services.accounts.users import list_users

    with state().database().session() as db_session:
        users = list_users(db_session)
    if as_json:
        print_json(users)
        return
    if not users:
        say("No users yet. Add the first with `mentormap user add EMAIL --admin`.")
        return
    rows = [
        [
            u.email,
            "admin" if u.admin else "",
            "disabled" if u.disabled else "active",
            fmt_date(u.last_login_at.date() if u.last_login_at else None),
        ]
        for u in users
    ]
    plain_table(["email", "role", "state", "last login"], rows)


@user_app.command("disable")
def user_disable(email: str = EMAIL) -> None:
    """Stop a user signing in: her sessions end, her tokens stop; her network is kept."""
    from mentormap.services.accounts.users import disable_user

    with state().database().session() as db_session:
        user = disable_user(db_session, email)
    say(f"Disabled {user.email}; `mentormap user enable {user.email}` undoes it.")


@user_app.command("enable")
def user_enable(email: str = EMAIL) -> None:
    """Let a disabled user sign in again."""
    from mentormap.services.accounts.users import enable_user

    with state().database().session() as db_session:
        user = enable_user(db_session, email)
    say(f"Enabled {user.email}.")


@user_app.command("passwd")
def user_passwd(email: str = EMAIL, password_stdin: bool = PASSWORD_STDIN) -> None:
    """Set a user's password; every browser signed in as her is signed out."""
    from mentormap.services.accounts.users import set_password

    password = read_password(password_stdin)
    with state().database().session() as db_session:
        user = set_password(db_session, email, password)
    say(f"New password set for {user.email}.")


@user_app.command("invite")
def user_invite(
    base_url: str = typer.Option(
        "", "--base-url", metavar="URL", help="The server's address, to print the whole link."
    ),
) -> None:
    """Make a one-time sign-up link, good for 7 days (the only way to sign up)."""
    from mentormap.services.accounts.invitations import create_invitation

    with state().database().session() as db_session:
        key = create_invitation(db_session, created_by=None)
    say(f"{base_url.rstrip('/')}/signup/{key}")


def _token_owner(email: str | None) -> tuple[int, int | None]:
    """The network and user a token is for: EMAIL's, else --user's, else local mode's."""
    from mentormap.services.accounts.users import find_user

    chosen = email or state().user_option
    if chosen is None:
        return state().owner_id(), None
    with state().database().session() as db_session:
        user = find_user(db_session, chosen)
        if user.disabled:
            raise UserError(f"The user {user.email} is disabled.")
        return user.owner_id, user.id


@token_app.command("create")
def token_create(
    email: str | None = typer.Argument(
        None, metavar="[EMAIL]", help="Whose token (default: --user, else the local network)."
    ),
    name: str = typer.Option("cli", "--name", "-n", help="What the token is for."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Create a token for `Authorization: Bearer …`; it is printed once and never again."""
    from mentormap.services.accounts.tokens import create_token

    owner_id, user_id = _token_owner(email)
    with state().database().session() as db_session:
        made = create_token(db_session, owner_id, name, user_id=user_id)
    if as_json:
        print_json({"id": made.view.id, "name": made.view.name, "token": made.token})
        return
    say(f"Token #{made.view.id} ({made.view.name}); copy it now, it is not shown again:")
    sys.stdout.write(made.token + "\n")


@token_app.command("list")
def token_list(
    email: str | None = typer.Argument(None, metavar="[EMAIL]", help="Whose tokens."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The tokens of a network: id, name, when made and last used (never the token itself)."""
    from mentormap.services.accounts.tokens import list_tokens

    owner_id, _user = _token_owner(email)
    with state().database().session() as db_session:
        tokens = list_tokens(db_session, owner_id)
    if as_json:
        print_json(tokens)
        return
    if not tokens:
        say("No tokens. Make one with `mentormap token create`.")
        return
    rows = [
        [
            f"#{t.id}",
            t.name,
            fmt_date(t.created_at.date()),
            fmt_date(t.last_used_at.date() if t.last_used_at else None, "never"),
        ]
        for t in tokens
    ]
    plain_table(["id", "name", "created", "last used"], rows)


@token_app.command("revoke")
def token_revoke(
    token_id: str = typer.Argument(
        ..., metavar="ID", help="The token's id, as `token list` shows it."
    ),
    email: str | None = typer.Option(None, "--email", metavar="EMAIL", help="Whose token."),
) -> None:
    """Revoke a token: programs using it are refused from now on."""
    from mentormap.services.accounts.tokens import revoke_token

    number = token_id.lstrip("#")
    if not number.isdigit():
        raise UserError(f"{token_id!r} is not a token id; `mentormap token list` shows them.")
    owner_id, _user = _token_owner(email)
    with state().database().session() as db_session:
        view = revoke_token(db_session, owner_id, int(number))
    say(f"Revoked token #{view.id} ({view.name}).")
