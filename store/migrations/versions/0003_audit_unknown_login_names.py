"""Failed log-ins with an unknown user name lose the typed name in the audit log: what was typed
there may be a password in the wrong field or another person's name. The rows stay (when, what),
written as the fixed marker store.audit.UNKNOWN_USER; failed log-ins of existing accounts keep the
account's name.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
UNKNOWN_USER = "(onbekende gebruikersnaam)"  # store.audit.UNKNOWN_USER when this was written


def upgrade() -> None:
    op.execute(sa.text(
        "update audit_log set username = :marker where action = 'login_failed' "
        "and username not in (select username from staff_users)").bindparams(marker=UNKNOWN_USER))


def downgrade() -> None:
    pass  # the typed names are gone for good
