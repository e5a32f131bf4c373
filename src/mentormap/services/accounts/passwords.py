"""Password hashing with Argon2id (argon2-cffi).

The cost is OWASP's recommended minimum for Argon2id: 19 MiB of memory, 2 passes, 1 lane. It
takes some 20-40 ms per check on a small server, which keeps a login well under 150 ms while
making each guess of a stolen hash cost that memory and time. A hash made with other
parameters still verifies, and is rehashed at the next successful login.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from mentormap.errors import InvalidInput

TIME_COST = 2
MEMORY_COST_KIB = 19 * 1024
PARALLELISM = 1
MIN_LENGTH = 10

_hasher = PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_COST_KIB, parallelism=PARALLELISM)


def check_strength(password: str) -> str:
    """The password as given, or InvalidInput when it is too short to be worth hashing."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"A password needs at least {MIN_LENGTH} characters.")
    if len(password) > 1024:
        raise InvalidInput("A password can have at most 1024 characters.")
    return password


def hash_password(password: str) -> str:
    return _hasher.hash(check_strength(password))


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    try:
        return _hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True


_dummy: list[str] = []  # made on first use: importing this module costs no hashing


def burn_time(password: str) -> None:
    """Spend a check's worth of time on an unknown email, so timing does not tell who exists."""
    if not _dummy:
        _dummy.append(_hasher.hash("not a real password, only here to take the time of a check"))
    verify_password(_dummy[0], password)
