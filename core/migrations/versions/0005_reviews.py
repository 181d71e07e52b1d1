"""reviews: serious incidents and practice reviews, review actions, annual reports and copies,
business plans (priorities, objectives, actions, status history), risk & challenge log

Revision ID: 0005_reviews
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_reviews"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = (
    "review_incident", "review_action", "review_annual_report", "review_annual_report_copy",
    "review_business_plan", "review_plan_priority", "review_plan_objective", "review_plan_action",
    "review_plan_action_status", "review_risk_entry",
)


def upgrade() -> None:
    op.create_table('review_incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('case_reference', sa.String(length=40), nullable=False),
    sa.Column('stage', sa.Enum('KNOWN', 'NOTIFIED', 'RAPID_REVIEW_SENT', 'DECIDED', 'COMMISSIONED', 'FINAL_REPORT', 'PUBLISHED', name='incidentstage', native_enum=False, length=40), nullable=False),
    sa.Column('became_aware_on', sa.Date(), nullable=False),
    sa.Column('panel_notified_on', sa.Date(), nullable=True),
    sa.Column('partners_notified_on', sa.Date(), nullable=True),
    sa.Column('rapid_review_sent_on', sa.Date(), nullable=True),
    sa.Column('decision', sa.Enum('LOCAL_REVIEW', 'NATIONAL_REVIEW', 'OTHER_LEARNING_REVIEW', 'NONE', name='reviewdecision', native_enum=False, length=40), nullable=True),
    sa.Column('learning_review_kind', sa.Enum('SINGLE_AGENCY', 'MULTI_AGENCY', 'AUDIT', name='learningreviewkind', native_enum=False, length=40), nullable=True),
    sa.Column('decision_rationale', sa.Text(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('reviewer_name', sa.String(length=300), nullable=True),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('regulators_informed_on', sa.Date(), nullable=True),
    sa.Column('methodology', sa.Enum('LEARNING_TOGETHER', 'CHILD_PRACTICE_REVIEW', 'ROOT_CAUSE_ANALYSIS', 'SILP', 'APPRECIATIVE_INQUIRY', 'OTHER', name='methodology', native_enum=False, length=40), nullable=True),
    sa.Column('methodology_other', sa.String(length=300), nullable=True),
    sa.Column('final_report_on', sa.Date(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('public_until', sa.Date(), nullable=True),
    sa.Column('report_published', sa.Boolean(), nullable=True),
    sa.Column('not_published_reason', sa.Text(), nullable=True),
    sa.Column('published_instead', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_review_incident_partnership_id_partnership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_incident')),
    sa.UniqueConstraint('partnership_id', 'case_reference', name=op.f('uq_review_incident_partnership_id'))
    )
    op.create_index(op.f('ix_review_incident_partnership_id'), 'review_incident', ['partnership_id'], unique=False)
    op.create_table('review_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('recommendation', sa.Text(), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=300), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('OPEN', 'IN_PROGRESS', 'COMPLETED', name='actionstatus', native_enum=False, length=40), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['review_incident.id'], name=op.f('fk_review_action_incident_id_review_incident'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_review_action_partnership_id_partnership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_action'))
    )
    op.create_index(op.f('ix_review_action_partnership_id'), 'review_action', ['partnership_id'], unique=False)
    op.create_index(op.f('ix_review_action_incident_id'), 'review_action', ['incident_id'], unique=False)
    op.create_table('review_annual_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('source_section', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_review_annual_report_partnership_id_partnership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_annual_report')),
    sa.UniqueConstraint('partnership_id', 'period_start', name=op.f('uq_review_annual_report_partnership_id'))
    )
    op.create_index(op.f('ix_review_annual_report_partnership_id'), 'review_annual_report', ['partnership_id'], unique=False)
    op.create_table('review_annual_report_copy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=300), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_review_annual_report_copy_partnership_id_partnership'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['review_annual_report.id'], name=op.f('fk_review_annual_report_copy_report_id_review_annual_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_annual_report_copy'))
    )
    op.create_index(op.f('ix_review_annual_report_copy_partnership_id'), 'review_annual_report_copy', ['partnership_id'], unique=False)
    op.create_index(op.f('ix_review_annual_report_copy_report_id'), 'review_annual_report_copy', ['report_id'], unique=False)
    op.create_table('review_business_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.Enum('BUSINESS_PLAN', 'ROLLING_ACTION_PLAN', name='plankind', native_enum=False, length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=True),
    sa.Column('agreed_on', sa.Date(), nullable=True),
    sa.Column('introduction', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_review_business_plan_partnership_id_partnership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_business_plan')),
    sa.UniqueConstraint('partnership_id', 'code', name=op.f('uq_review_business_plan_partnership_id'))
    )
    op.create_index(op.f('ix_review_business_plan_partnership_id'), 'review_business_plan', ['partnership_id'], unique=False)
    op.create_table('review_plan_priority',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['review_business_plan.id'], name=op.f('fk_review_plan_priority_plan_id_review_business_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_plan_priority'))
    )
    op.create_index(op.f('ix_review_plan_priority_plan_id'), 'review_plan_priority', ['plan_id'], unique=False)
    op.create_table('review_plan_objective',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['review_business_plan.id'], name=op.f('fk_review_plan_objective_plan_id_review_business_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_plan_objective'))
    )
    op.create_index(op.f('ix_review_plan_objective_plan_id'), 'review_plan_objective', ['plan_id'], unique=False)
    op.create_table('review_plan_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('who', sa.String(length=500), nullable=True),
    sa.Column('when_text', sa.String(length=300), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('GREEN', 'AMBER', 'RED', name='rag', native_enum=False, length=40), nullable=True),
    sa.Column('comments', sa.Text(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['objective_id'], ['review_plan_objective.id'], name=op.f('fk_review_plan_action_objective_id_review_plan_objective'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_review_plan_action_partnership_id_partnership'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['review_business_plan.id'], name=op.f('fk_review_plan_action_plan_id_review_business_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_plan_action'))
    )
    op.create_index(op.f('ix_review_plan_action_partnership_id'), 'review_plan_action', ['partnership_id'], unique=False)
    op.create_index(op.f('ix_review_plan_action_plan_id'), 'review_plan_action', ['plan_id'], unique=False)
    op.create_table('review_plan_action_status',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('GREEN', 'AMBER', 'RED', name='rag', native_enum=False, length=40), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['review_plan_action.id'], name=op.f('fk_review_plan_action_status_action_id_review_plan_action'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_plan_action_status'))
    )
    op.create_index(op.f('ix_review_plan_action_status_action_id'), 'review_plan_action_status', ['action_id'], unique=False)
    op.create_table('review_risk_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('concern', sa.Text(), nullable=False),
    sa.Column('risks', sa.Text(), nullable=False),
    sa.Column('action_required', sa.Text(), nullable=False),
    sa.Column('by_whom', sa.String(length=300), nullable=False),
    sa.Column('by_when_text', sa.String(length=300), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('rag', sa.Enum('GREEN', 'AMBER', 'RED', name='rag', native_enum=False, length=40), nullable=False),
    sa.Column('raised_by', sa.Enum('BOARD', 'CHAIR', 'SUBGROUP_CHAIR', name='riskraiser', native_enum=False, length=40), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_review_risk_entry_partnership_id_partnership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_risk_entry'))
    )
    op.create_index(op.f('ix_review_risk_entry_partnership_id'), 'review_risk_entry', ['partnership_id'], unique=False)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
