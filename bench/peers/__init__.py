"""Other GraphQL servers measured beside the API on the same database and the same query
content (`make bench`, ``PEERS=1``): each installed on demand under ``bench/peers/<name>``,
never a runtime dependency of the project."""
