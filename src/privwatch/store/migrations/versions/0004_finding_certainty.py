"""Findings' certainty: certain, or review (the text cannot settle it).

Rows stored before this revision are certain: the audit then had no review
items.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        batch.add_column(
            sa.Column(
                "certainty",
                sa.String(10),
                nullable=False,
                server_default="certain",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        batch.drop_column("certainty")
