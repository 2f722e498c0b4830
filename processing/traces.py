"""Names of the derived signals and scalar metrics the pipeline publishes to the board."""

from __future__ import annotations

from drivers.types import Placement

SHOE_SAGITTAL_GYRO = {
    Placement.LEFT_SHOE: "left_shoe.sagittal_gyro_dps",
    Placement.RIGHT_SHOE: "right_shoe.sagittal_gyro_dps",
}
TRUNK_FLEXION = "trunk.flexion_deg"
TRUNK_LATERAL = "trunk.lateral_bend_deg"
TRUNK_ROTATION = "trunk.rotation_deg"
PELVIS_TILT = "pelvis.tilt_deg"
PELVIS_OBLIQUITY = "pelvis.obliquity_deg"
PELVIS_ROTATION = "pelvis.rotation_deg"

# Scalar metrics (latest values)
CADENCE_SPM = "cadence_spm"
CONTACT_MS = {"left": "left.contact_ms", "right": "right.contact_ms"}
