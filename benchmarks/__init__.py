"""Benchmarks that print their figures (speed targets live here, never in timed tests)."""
