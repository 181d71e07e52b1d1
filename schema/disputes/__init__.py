"""The disputes domain of the GraphQL layer: escalation ladders (public rules), disputes and
their stage history, and independent scrutiny — appointments, activities, reports and the
responses to their recommendations."""
