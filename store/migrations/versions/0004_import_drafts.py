"""import drafts and task flags (review before tasks go live)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 02:00:00
"""

from alembic import op  # noqa: F401

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
