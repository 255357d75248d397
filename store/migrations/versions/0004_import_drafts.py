"""import drafts and task flags (review before tasks go live)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("directives", schema=None) as batch_op:
        batch_op.add_column(sa.Column("identity_key", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_directives_identity_key", ["identity_key"], unique=True)
    op.create_table(
        "import_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("identity_key", sa.String(length=64), nullable=True),
        sa.Column("source_name", sa.String(length=255), nullable=True),
        sa.Column("source_hash", sa.String(length=64), nullable=True),
        sa.Column("parsed", sa.JSON(), nullable=False),
        sa.Column("edits", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("broadcast_id", sa.Integer(), nullable=True),
        sa.Column("directive_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["broadcast_id"], ["broadcasts.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["directive_id"], ["directives.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_import_drafts_number", "import_drafts", ["number"])
    op.create_index("ix_import_drafts_status_expires", "import_drafts", ["status", "expires_at"])
    op.create_table(
        "import_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("directive_number", sa.String(length=64), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("directive_number", "ref"),
    )


def downgrade() -> None:
    op.drop_table("import_corrections")
    op.drop_index("ix_import_drafts_status_expires", table_name="import_drafts")
    op.drop_index("ix_import_drafts_number", table_name="import_drafts")
    op.drop_table("import_drafts")
    with op.batch_alter_table("directives", schema=None) as batch_op:
        batch_op.drop_index("ix_directives_identity_key")
        batch_op.drop_column("identity_key")
