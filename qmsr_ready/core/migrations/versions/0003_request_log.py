"""inspection day: request log, presented items, scribe notes, SME roster

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=True),
    sa.Column('requested_by', sa.String(length=255), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('area_id', sa.String(length=64), nullable=False),
    sa.Column('element_id', sa.String(length=64), nullable=False),
    sa.Column('priority', sa.String(length=10), nullable=False),
    sa.Column('owner', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('presented_at', sa.DateTime(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('finding_codes', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('inspection_id', 'code')
    )
    with op.batch_alter_table('document_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_requests_inspection_id'), ['inspection_id'], unique=False)

    op.create_table('request_moves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['document_requests.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('request_moves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_moves_request_id'), ['request_id'], unique=False)

    op.create_table('presented_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.String(length=255), nullable=False),
    sa.Column('version', sa.String(length=255), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('presented_at', sa.DateTime(), nullable=False),
    sa.Column('presented_by', sa.String(length=255), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['document_requests.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('presented_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_presented_items_request_id'), ['request_id'], unique=False)

    op.create_table('scribe_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('topic', sa.String(length=255), nullable=False),
    sa.Column('investigator', sa.String(length=255), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('request_codes', sa.JSON(), nullable=False),
    sa.Column('finding_codes', sa.JSON(), nullable=False),
    sa.Column('author', sa.String(length=255), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('inspection_id', 'code')
    )
    with op.batch_alter_table('scribe_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scribe_notes_inspection_id'), ['inspection_id'], unique=False)

    op.create_table('sme_roster',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.String(length=64), nullable=False),
    sa.Column('presenter', sa.String(length=255), nullable=False),
    sa.Column('backup', sa.String(length=255), nullable=False),
    sa.Column('storyboard', sa.String(length=255), nullable=False),
    sa.Column('prepared', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('inspection_id', 'area_id')
    )
    with op.batch_alter_table('sme_roster', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sme_roster_inspection_id'), ['inspection_id'], unique=False)


def downgrade() -> None:
    for table in ('sme_roster', 'scribe_notes', 'presented_items', 'request_moves',
                  'document_requests'):
        op.drop_table(table)
