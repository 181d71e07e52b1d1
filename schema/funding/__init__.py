"""The funding domain of the GraphQL layer: money, budgets and their revisions, contributions,
expenditure, the year's statement, host arrangements, review-cost apportionment and the
equity report."""
