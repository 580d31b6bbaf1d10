"""Excel readiness pack: one module per sheet, run in order by ``writer.write_workbook``."""
