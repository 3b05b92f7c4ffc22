"""Price tables: the strict schema, the loaded catalog, overrides and price edits.

The two constants below live here, free of imports, because the command line
needs them to describe its options before it loads any price table.
"""

# A price whose as-of date is older than this many days is flagged as stale.
DEFAULT_STALE_DAYS = 90
# The roles a catalog model can be listed under.
ROLES = ("base", "fine-tunable")
