"""One module per sheet; each exposes build(wb, terms, ...) and nothing else public."""
