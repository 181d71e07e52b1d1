"""The reviews domain of the GraphQL layer: serious incidents and practice reviews, review
actions, annual reports and their copies, business plans, the confidential risk & challenge
log, the rule answers (timescales, recipients) and the cross-partnership `overdue` list."""
