"""Simulated pods: a seeded runner model with ground truth, spoken over a real wire format."""
