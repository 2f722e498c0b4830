"""The calibration wizard and the slipped-pod re-check (Session → Calibrate…, Re-check)."""
