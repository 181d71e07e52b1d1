"""The compliance domain of the GraphQL layer: a partnership's arrangements against the
Working Together 2018 checklist, each item with its evidence or reported missing."""
