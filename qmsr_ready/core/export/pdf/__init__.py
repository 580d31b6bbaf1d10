"""PDF readiness pack: one module per section, run in order by ``writer.write_pdf``."""
