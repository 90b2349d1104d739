"""The tables. The one place that says what is stored (README's privacy table follows it).

No table has a column for message text (except `fallback_messages.redacted_text`, written only
after redaction), a sender id or an IP address.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# A finished triage: the code, the structured answers (JSON of slot values), the outcome and its
# reason, and the hour it ended (rounded down: minutes are not needed to find it again).
triage_records = Table(
    "triage_records",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(6), nullable=False),
    Column("answers_json", Text, nullable=False),
    Column("outcome", String(64), nullable=False),
    Column("reason", String(64), nullable=False, server_default=""),
    Column("created_hour", DateTime(timezone=True), nullable=False, index=True),
    UniqueConstraint("code", name="uq_triage_records_code"),
)

staff_users = Table(
    "staff_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime(timezone=True), nullable=True),
    Column("active", Boolean, nullable=False, server_default="1"),
    # May read the audit log (make staff-user NAME=x ADMIN=1); added by migration 0002.
    Column("is_admin", Boolean, nullable=False, server_default="0"),
)

# A staff page session, shared by every staff process. The cookie holds a random id; only its
# sha256 is stored, so a copy of the table opens no session. `csrf` is the token of the session's
# forms; `username` is empty before log-in. Ended at log-out; past its idle time or its maximum age
# it is refused and the retention task deletes it (store/staff_sessions.py).
staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("csrf", String(64), nullable=False),
    Column("username", String(64), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False, index=True),
    Column("flash", String(200), nullable=True),
)

# Who did what when. `subject` is a triage code, a closure id or a user name; never triage data.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("username", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("subject", String(64), nullable=False, server_default=""),
)

# The line is closed from first_day to last_day (inclusive, local dates); `reason` is short and
# may be shown to parents.
line_closures = Table(
    "line_closures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("first_day", Date, nullable=False),
    Column("last_day", Date, nullable=False, index=True),
    Column("reason", String(80), nullable=False, server_default=""),
    Column("created_by", String(64), nullable=False),
    Column("active", Boolean, nullable=False, server_default="1"),
)

# Anonymous counts from the event broker: one row per (hour, kind, name); no sender, no text.
insight_counts = Table(
    "insight_counts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("hour", DateTime(timezone=True), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("name", String(64), nullable=False, server_default=""),
    Column("count", Integer, nullable=False, server_default="0"),
    UniqueConstraint("hour", "kind", "name", name="uq_insight_counts_key"),
)

# A message the bot did not understand, stored only after redaction; `label` is set by a reviewer.
fallback_messages = Table(
    "fallback_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_hour", DateTime(timezone=True), nullable=False, index=True),
    Column("redacted_text", Text, nullable=False),
    Column("label", String(64), nullable=True),
    Column("labelled_by", String(64), nullable=True),
)
