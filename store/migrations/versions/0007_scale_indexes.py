"""indexes for aggregate jobs and housekeeping

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 02:00:00
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_reports_created_at", "reports", ["created_at"])
    op.create_index("ix_conversations_expires_at", "conversations", ["expires_at"])
    op.create_index("ix_processed_messages_created_at", "processed_messages", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_processed_messages_created_at", table_name="processed_messages")
    op.drop_index("ix_conversations_expires_at", table_name="conversations")
    op.drop_index("ix_reports_created_at", table_name="reports")
