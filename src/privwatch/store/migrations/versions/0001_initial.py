"""Platforms, their watched documents, and every stored version.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "platforms",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("country", sa.String(2)),
        sa.Column("foreign", sa.Boolean(), nullable=False),
        sa.Column("category", sa.String(100)),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "platform_id",
            sa.Integer(),
            sa.ForeignKey("platforms.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("selector", sa.String(500)),
        sa.Column("language", sa.String(10)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.Column("last_checked_at", sa.DateTime()),
        sa.Column("etag", sa.String(500)),
        sa.Column("last_modified", sa.String(100)),
        sa.Column("render", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("platform_id", "kind", "url"),
    )
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "document_id",
            sa.Integer(),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("http_status", sa.Integer()),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("raw_sha256", sa.String(64), nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("document_json", sa.JSON(), nullable=False),
        sa.Column("audit_json", sa.JSON()),
        sa.UniqueConstraint("document_id", "number"),
    )
    op.create_index("versions_by_time", "versions", ["document_id", "fetched_at"])
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("trigger", sa.String(20), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("alerts")
    op.drop_index("versions_by_time", "versions")
    op.drop_table("versions")
    op.drop_table("documents")
    op.drop_table("platforms")
