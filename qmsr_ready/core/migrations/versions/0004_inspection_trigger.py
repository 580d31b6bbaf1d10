"""inspection trigger: the for-cause topic and product-risk signals the plan was built from

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing inspections were planned without a stated trigger: the empty one.
    with op.batch_alter_table('inspections') as batch:
        batch.add_column(sa.Column('trigger', sa.JSON(), nullable=False, server_default='{}'))


def downgrade() -> None:
    with op.batch_alter_table('inspections') as batch:
        batch.drop_column('trigger')
