"""The compare domain of the GraphQL layer: partnerships side by side, one row per aspect and
one cell per partnership, each cell answered by the same resolver helpers as the
partnership's own fields."""
