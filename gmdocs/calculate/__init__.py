"""Calculate: indicators from raw data with the catalogue's formulas, and the carbon account (GB/T 32150)."""
from .carbon import CarbonYear, GridChoice, carbon_account
from .indicators import Calculation, IndicatorValue, calculate

__all__ = ["Calculation", "CarbonYear", "GridChoice", "IndicatorValue", "calculate", "carbon_account"]
