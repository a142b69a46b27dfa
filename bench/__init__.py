"""Benchmarks for Cliffhanger (run with `python -m bench.<name>`)."""
