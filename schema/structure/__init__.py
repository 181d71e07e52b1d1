"""The structure domain: partnerships, agencies, statutory partners, groups, seats and people
as the published arrangements give them — the types every other domain adds its fields to
(``schema/<domain>/fields.py``), the root lists (`partnerships`, `partnership(code:)`,
`agencies`, `groups`) and the seat mutations. Its batch functions are the request's core
loaders (``schema/loaders.py``), shared by every domain for the structure rows they meet."""
