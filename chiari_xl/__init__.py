"""chiari-xl: check, recompute and rewrite a municipality's performance-bonus plan workbook."""

__version__ = "0.1.0"
