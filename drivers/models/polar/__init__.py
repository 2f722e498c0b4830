"""Polar PMD (Polar Measurement Data) pods: Verity Sense, H10, OH1."""
