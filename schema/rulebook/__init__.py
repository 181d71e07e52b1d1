"""The rulebook domain of the GraphQL layer: a partnership's rules as its document states them."""
