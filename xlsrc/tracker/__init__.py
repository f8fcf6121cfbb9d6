"""The day tracker: what an entry is, and the bundled sample."""
