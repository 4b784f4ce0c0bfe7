"""Products watched over time: listing sources, runs, what each run read from
each source, the listings seen and the matches found.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _fk(table: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{table}.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "product_sources",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform_id", sa.Integer(), _fk("platforms"), nullable=False),
        sa.Column("source", sa.String(2000), nullable=False),
        sa.Column("render", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("platform_id", "source"),
    )
    op.create_table(
        "product_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
    )
    op.create_table(
        "product_fetches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), _fk("product_runs"), nullable=False),
        sa.Column("source_id", sa.Integer(), _fk("product_sources"), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
    )
    op.create_index(
        "product_fetches_by_source", "product_fetches", ["source_id", "run_id"]
    )
    op.create_table(
        "product_listings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), _fk("product_runs"), nullable=False),
        sa.Column("source_id", sa.Integer(), _fk("product_sources"), nullable=False),
        sa.Column("key", sa.String(2000), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_index("product_listings_by_key", "product_listings", ["source_id", "key"])
    op.create_table(
        "product_matches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), _fk("product_runs"), nullable=False),
        sa.Column("source_id", sa.Integer(), _fk("product_sources"), nullable=False),
        sa.Column("listing_key", sa.String(2000), nullable=False),
        sa.Column("hazard_source", sa.String(100), nullable=False),
        sa.Column("hazard_record_id", sa.String(200), nullable=False),
        sa.Column("hazard_date", sa.String(20), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("certainty", sa.String(10), nullable=False),
        sa.Column("relisted", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_index(
        "product_matches_by_pair",
        "product_matches",
        ["source_id", "listing_key", "hazard_source", "hazard_record_id"],
    )


def downgrade() -> None:
    op.drop_index("product_matches_by_pair", "product_matches")
    op.drop_table("product_matches")
    op.drop_index("product_listings_by_key", "product_listings")
    op.drop_table("product_listings")
    op.drop_index("product_fetches_by_source", "product_fetches")
    op.drop_table("product_fetches")
    op.drop_table("product_runs")
    op.drop_table("product_sources")
