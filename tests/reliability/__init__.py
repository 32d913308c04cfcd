"""Reliability proofs: kills, races, signals, hostile input (issue 12)."""
