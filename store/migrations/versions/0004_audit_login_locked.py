"""Failed log-ins are audited as two events from now on: `login_failed` (a wrong password or an
unknown name) and `login_locked` (refused because the account was locked; the password is not
checked then). Entries written before could be either, so an admin would read a refusal during a
lockout as a wrong password. Those of existing accounts become `login_failed_or_locked` ("inloggen
mislukt of geweigerd"); they are not guessed apart (an account unlocked by `make staff-user` left no
entry, so replaying the log could call a wrong password a lockout). Entries of unknown names stay
`login_failed`: a name without an account is never locked.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
UNKNOWN_USER = "(onbekende gebruikersnaam)"  # store.audit.UNKNOWN_USER when this was written


def upgrade() -> None:
    op.execute(sa.text(
        "update audit_log set action = 'login_failed_or_locked' where action = 'login_failed' "
        "and username <> :marker").bindparams(marker=UNKNOWN_USER))


def downgrade() -> None:
    op.execute(sa.text(
        "update audit_log set action = 'login_failed' where action in ('login_failed_or_locked', 'login_locked')"))
