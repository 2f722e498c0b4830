"""Replaying recordings through the same decoders and pipeline as live pods."""
