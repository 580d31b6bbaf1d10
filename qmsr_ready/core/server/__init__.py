"""A workspace on a PostgreSQL server: URLs, connection errors, engine, roles.

Everything that differs from a workspace file lives here and in ``core.db``'s dispatch; the
models, services, migrations and audit trail are the same on both backends.
"""
