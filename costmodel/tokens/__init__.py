"""Token counts: tokenizers, sample files, counting, and the token figures a strategy uses."""
