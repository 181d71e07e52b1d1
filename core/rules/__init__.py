"""Pure rule functions (no I/O): what the hooks compute, tested without a database."""
