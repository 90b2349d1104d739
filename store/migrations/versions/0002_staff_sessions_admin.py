"""Staff sessions in the store (shared by several staff processes, kept over a restart) and an
admin flag on staff accounts (who may read the audit log).

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "staff_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("username", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("flash", sa.String(200), nullable=True),
    )
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(sa.Column("is_admin", sa.Boolean, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("is_admin")
    op.drop_table("staff_sessions")
