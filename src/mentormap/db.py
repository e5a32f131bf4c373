"""Engine, sessions and schema version checks. Alembic owns the schema; opening upgrades it."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from mentormap.errors import DatabaseTooNew, InvalidInput, UserError
from mentormap.settings import Settings

HEAD_REVISION = "0301"
"""The newest migration this code knows; a test keeps it equal to Alembic's head."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Reads through a memory map skip a system call per page: ~20% off index-probe-heavy
    # queries such as owed replies on a large network.
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


# The pysqlite driver opens a transaction only before INSERT/UPDATE/DELETE, so a CREATE or DROP
# that comes first in a unit of work (a restore dropping indexes, a migration adding a table)
# would commit on its own and survive a later rollback. Opening the transaction before such a
# statement makes schema changes as all-or-nothing as the rows around them. Reads keep running
# outside a transaction, and writes still start theirs at their first change, where SQLite's
# busy timeout applies.
_DDL = re.compile(r"\s*(CREATE|DROP|ALTER)\b", re.IGNORECASE)


def _begin_before_ddl(
    conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
) -> None:
    if _DDL.match(statement):
        driver = conn.connection.driver_connection
        if not driver.in_transaction:
            driver.execute("BEGIN")


WROTE = "mentormap_wrote"  # Connection.info key: this transaction ran more than reads


_CHANGES = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def _note_writes(
    conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
) -> None:
    """Remember on the connection that something other than a read ran (see `wrote`): a
    SELECT, or a WITH naming no INSERT, UPDATE, DELETE or MERGE, is a read."""
    head = statement.lstrip()[:6].upper()
    if head == "SELECT" or (head[:4] == "WITH" and not _CHANGES.search(statement)):
        return
    conn.info[WROTE] = True


def _forget_writes(_dbapi_connection: Any, record: Any) -> None:
    record.info.pop(WROTE, None)  # back in the pool: the next user starts clean


def wrote(session: Session) -> bool:
    """Whether the session changed anything since it took its connection from the pool:
    objects waiting to be flushed, or a statement other than a read. It errs towards yes: a
    PRAGMA counts as a write."""
    if session.new or session.dirty or session.deleted:
        return True
    return bool(session.connection().info.get(WROTE))


OWNERS = "mentormap_owners"  # Session.info key: the owners whose units ran in the session


def _new_data_version(session: Session) -> None:
    """Before a commit that wrote, give its owners a new data version (`Owner.data_version`):
    the owners of the units that ran in the session (`services.unit.open_ctx`), or every owner
    when none did (accounts, tokens), which is never wrong, only less kept. One UPDATE, in the
    transaction it marks, so the mark and the rows commit together."""
    if not session.in_transaction() or not wrote(session):
        return
    owners = sorted(session.info.get(OWNERS, ()))
    where = " WHERE id IN :owners" if owners else ""
    statement = text(f"UPDATE owners SET data_version = :version{where}")
    if owners:
        statement = statement.bindparams(bindparam("owners", expanding=True))
    params: dict[str, Any] = {"version": secrets.randbits(62)}
    if owners:
        params["owners"] = owners
    session.execute(statement, params)


def _optimize_on_close(dbapi_connection: Any, _record: Any) -> None:
    """Let SQLite refresh its planner statistics for the tables this connection used.

    SQLite's advice for short-lived connections: without statistics the agenda's query walks
    every role by owner instead of each candidate's roles (on 20,000 people, 23 ms instead of
    19). `analysis_limit` keeps each table's analysis to a sample: a few milliseconds, and only
    when SQLite judges the statistics missing or stale.

    Only after a connection changed rows: reading leaves the statistics as true as it found
    them, and SQLite 3.40 judges a table with an empty partial index (no message left owing a
    reply) unanalysed however often it is analysed, so every read-only command paid for a fresh
    look at all interactions as it closed.
    """
    if not getattr(dbapi_connection, "total_changes", 1):
        return
    try:
        dbapi_connection.execute("PRAGMA analysis_limit=400")
        dbapi_connection.execute("PRAGMA optimize")
    except Exception:  # a read-only or busy file keeps its old statistics; nothing is lost
        pass


def refresh_statistics(connection: Any) -> None:
    """Sample fresh planner statistics after a bulk write (an import, a restore, the demo).

    A long-running web app closes its connections rarely, so it does not wait for that. On
    PostgreSQL autovacuum would get there within minutes, but until then the planner takes a
    freshly restored table for empty: the agenda's query on 500 people ran its candidate list
    once per person (43 ms instead of 4).
    """
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("ANALYZE")
        return
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql("PRAGMA analysis_limit=400")
    connection.exec_driver_sql("ANALYZE")


PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def make_private(database: Path) -> None:
    """Create the database file readable by its owner only, and tighten one that is not.

    SQLite gives the `-wal` and `-shm` files the mode of the database file, so they follow.
    """
    try:
        fd = os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise UserError(f"Cannot create the database {database}: {exc.strerror}.") from exc
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        try:
            if path.stat().st_mode & 0o077 and path.stat().st_uid == os.getuid():
                path.chmod(PRIVATE_FILE)
        except OSError:
            pass  # not there (yet), or not ours to change


def make_engine(url: str, create_folder: bool = False) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InvalidInput(f"{url!r} is not a database path or URL.") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).parent
            if not create_folder and not folder.is_dir():
                raise UserError(f"No folder {folder} for the database; create it first.")
            if not folder.is_dir():
                try:
                    folder.mkdir(parents=True, mode=PRIVATE_FOLDER)
                except OSError as exc:
                    raise UserError(f"Cannot create the folder {folder}: {exc.strerror}.") from exc
            make_private(Path(parsed.database))
        engine = create_engine(url, connect_args={"timeout": 5})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "before_cursor_execute", _begin_before_ddl)
        event.listen(engine, "close", _optimize_on_close)
    else:
        try:
            engine = create_engine(url, pool_pre_ping=True)
        except (ArgumentError, ModuleNotFoundError) as exc:
            raise InvalidInput(f"Cannot use database {url!r}: {exc}") from exc
        if engine.dialect.driver == "psycopg":
            keep_long_queries_parsed()
    event.listen(engine, "before_cursor_execute", _note_writes)
    event.listen(engine, "checkin", _forget_writes)
    return engine


# How many statements psycopg keeps parsed, and up to what size: at most about 16 MB, even for
# the varying bulk inserts that its own limits keep out of its cache.
PARSED_QUERIES = 512
PARSED_QUERY_BYTES = 32 * 1024
PARSED_QUERY_PARAMS = 200


def keep_long_queries_parsed() -> None:
    """Let psycopg keep the parse of our long statements too.

    psycopg turns a statement's `%(name)s` placeholders into `$1…` with a regular expression,
    and keeps the result only for statements under 4 kB and 50 parameters. The standing's and
    the agenda's are 10 to 12 kB, and a page of people binds about a hundred values: parsed
    again on every call, they cost Today about a sixth of its CPU on a server. Our statements
    come in a fixed set of shapes, so a larger cache holds them all. psycopg has no public
    setting for this: the limits of its module are raised where they exist, and nothing is
    changed where they do not.
    """
    from functools import lru_cache

    try:
        from psycopg import _queries
    except ImportError:  # pragma: no cover - psycopg reorganised its internals
        return
    needed = ("MAX_CACHED_STATEMENT_LENGTH", "MAX_CACHED_STATEMENT_PARAMS", "_query2pg_nocache")
    if not all(hasattr(_queries, name) for name in needed):
        return
    if _queries.MAX_CACHED_STATEMENT_LENGTH >= PARSED_QUERY_BYTES:
        return  # done already (or psycopg's own limit grew)
    _queries.MAX_CACHED_STATEMENT_LENGTH = PARSED_QUERY_BYTES
    _queries.MAX_CACHED_STATEMENT_PARAMS = PARSED_QUERY_PARAMS
    _queries._query2pg = lru_cache(maxsize=PARSED_QUERIES)(_queries._query2pg_nocache)


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "mentormap:migrations")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions(url: str) -> set[str]:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config(url))
    return {rev.revision for rev in scripts.walk_revisions()}


def upgrade(engine: Engine, url: str) -> None:
    from alembic import command

    config = alembic_config(url)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        # A new index without statistics looks the most selective of all to SQLite's planner:
        # the birthday index of 0281 took over every "max or min by owner" of the people.
        refresh_statistics(conn)


def ensure_schema(engine: Engine, url: str) -> None:
    """Bring the database to the code's schema, or refuse one written by newer code."""
    try:
        revision = current_revision(engine)
    except DatabaseError as exc:
        reason = " ".join(str(exc.orig).split())
        raise UserError(f"Cannot open the database at {url}: {reason}") from exc
    if revision == HEAD_REVISION:
        return
    if revision is not None and revision not in known_revisions(url):
        raise DatabaseTooNew(
            f"This database is at schema {revision}, newer than this mentormap knows "
            f"({HEAD_REVISION}); upgrade mentormap to open it."
        )
    upgrade(engine, url)


@dataclass
class Database:
    """An open, up-to-date database and the session factory over it."""

    engine: Engine
    settings: Settings

    @classmethod
    def open(cls, settings: Settings) -> Database:
        engine = make_engine(settings.database_url, create_folder=settings.create_folder)
        ensure_schema(engine, settings.database_url)
        return cls(engine=engine, settings=settings)

    @cached_property
    def _sessions(self) -> sessionmaker[Session]:
        sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(sessions, "before_commit", _new_data_version)
        return sessions

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends and rolls back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def new_session(self) -> Session:
        """A session for the caller to commit and close (the API's request: web.auth)."""
        return self._sessions()

    def close(self) -> None:
        self.engine.dispose()
