"""Alembic environment: the URL comes from mentormap's settings or the caller's connection."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from mentormap.models import Base

config = context.config
target_metadata = Base.metadata


def include_name(name, kind, parent) -> bool:
    # The full-text index (FTS5 and its shadow tables, migration 0136) has no model.
    return not (kind == "table" and (name or "").startswith("search_index"))


def run_migrations(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        from mentormap.settings import Settings

        url = Settings.load().database_url
        config.set_main_option("sqlalchemy.url", url)
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {},
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as conn:
        run_migrations(conn)
