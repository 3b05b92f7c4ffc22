"""Price tables: the strict schema, the loaded catalog, overrides and price edits."""
