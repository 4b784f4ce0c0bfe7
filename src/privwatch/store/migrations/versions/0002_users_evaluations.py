"""Dashboard users and their sessions; evaluations of platforms' policies;
each version's findings as rows; traffic scans.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("token_sha256", sa.String(64), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "platform_id",
            sa.Integer(),
            sa.ForeignKey("platforms.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("evaluated_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(2000), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
    )
    op.create_index(
        "evaluations_by_platform", "evaluations", ["platform_id", "evaluated_at"]
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "version_id",
            sa.Integer(),
            sa.ForeignKey("versions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("rule", sa.String(200), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("law", sa.String(50), nullable=False),
        sa.Column("article", sa.String(50), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text()),
        sa.Column("start", sa.Integer()),
    )
    op.create_index("findings_by_version", "findings", ["version_id"])
    op.create_index("findings_by_severity", "findings", ["severity", "rule"])
    op.create_table(
        "scans",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "platform_id",
            sa.Integer(),
            sa.ForeignKey("platforms.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("scanned_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(2000), nullable=False),
        sa.Column("har_sha256", sa.String(64), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
    )
    op.create_index("scans_by_platform", "scans", ["platform_id", "scanned_at"])


def downgrade() -> None:
    op.drop_index("scans_by_platform", "scans")
    op.drop_table("scans")
    op.drop_index("findings_by_severity", "findings")
    op.drop_index("findings_by_version", "findings")
    op.drop_table("findings")
    op.drop_index("evaluations_by_platform", "evaluations")
    op.drop_table("evaluations")
    op.drop_table("sessions")
    op.drop_table("users")
