"""Everything said about a result: number formatting, wording, CSV export and chart data."""
