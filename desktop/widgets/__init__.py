"""Widgets of the live window, one concept per module; they render view models only."""
