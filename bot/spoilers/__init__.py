"""The spoiler engine: what each episode reveals, and whether a message gives it away."""
