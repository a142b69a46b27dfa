"""Watch parties: scheduled recaps and per-episode discussion threads (no discord imports)."""
