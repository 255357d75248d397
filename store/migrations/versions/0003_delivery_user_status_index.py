"""delivery index by recipient and status

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 17:00:00
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_deliveries_user_status", "deliveries", ["user_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_user_status", table_name="deliveries")
