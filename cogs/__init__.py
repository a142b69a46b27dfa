"""Discord extensions, one per feature; each is a thin layer over a module in `bot/`."""
