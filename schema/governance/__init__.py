"""The governance domain of the GraphQL layer: meetings, attendance and quorum, decisions and
votes, chairs, appointments, attendance concerns and the cross-borough comparison of chairs
and quorum."""
