"""outbox leases and priorities

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "deliveries", sa.Column("priority", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("deliveries", sa.Column("lease_owner", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("lease_owner")
        batch.drop_column("priority")
