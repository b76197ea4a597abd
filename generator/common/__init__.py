"""Helpers every stage shares: problems, paths, escapers, formatting, fault points."""
