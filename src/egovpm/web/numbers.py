"""The percentage helpers of the templates (egovpm_ui |pct, |pct_share): see egovpm.core.percent."""

from egovpm.core.percent import as_decimal, percent_exact, percent_rounded

__all__ = ["as_decimal", "percent_exact", "percent_rounded"]
