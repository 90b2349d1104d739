"""The first schema: triage records, staff users, audit log, line closures, insight counts,
redacted fallback messages. Frozen: later changes to store/schema.py get a new revision.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None

TABLES = ["triage_records", "staff_users", "audit_log", "line_closures", "insight_counts", "fallback_messages"]


def upgrade() -> None:
    op.create_table(
        "triage_records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("answers_json", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False, server_default=""),
        sa.Column("created_hour", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.UniqueConstraint("code", name="uq_triage_records_code"),
    )
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False, server_default="1"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False, server_default=""),
    )
    op.create_table(
        "line_closures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("first_day", sa.Date, nullable=False),
        sa.Column("last_day", sa.Date, nullable=False, index=True),
        sa.Column("reason", sa.String(80), nullable=False, server_default=""),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default="1"),
    )
    op.create_table(
        "insight_counts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("name", sa.String(64), nullable=False, server_default=""),
        sa.Column("count", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("hour", "kind", "name", name="uq_insight_counts_key"),
    )
    op.create_table(
        "fallback_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_hour", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("redacted_text", sa.Text, nullable=False),
        sa.Column("label", sa.String(64), nullable=True),
        sa.Column("labelled_by", sa.String(64), nullable=True),
    )


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
