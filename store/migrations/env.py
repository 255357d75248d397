"""Alembic environment: always handed a live connection by store.db.upgrade."""

from alembic import context

from store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - offline/CLI use is not supported
    raise RuntimeError("run migrations with `nhacviec db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
