"""Foot strike angle at initial contact, relative to the quiet-standing foot.

The foot's tilt at the previous mid-stance comes from gravity (mean of a few still samples'
specific force), so a forefoot striker whose heel never settles still starts from its true
angle. From there the world-up direction is carried forward in sensor axes by integrating the
bias-corrected gyro (exact rotation per sample) up to the last sample before the impact. The
strikes found in one block are integrated together (one array pass for all of them). The
strike angle is the elevation of the foot's forward axis: asin(forward · up), positive = toes
up. At standing the forward axis is horizontal by construction, so standing is 0°.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from drivers.types import FloatArray
from processing.events import StrikeThresholds, StrikeType

DEFAULT_THRESHOLDS = StrikeThresholds()


def up_at_midstance(acc_g: FloatArray) -> FloatArray:
    """Unit up vector (sensor axes) from the specific force of a few still samples, (k, 3)."""
    mean = acc_g.mean(axis=0)
    return np.asarray(mean / np.linalg.norm(mean), dtype=np.float64)


def step_quaternions(gyro_dps: FloatArray, dt_s: FloatArray) -> FloatArray:
    """(..., 4) unit quaternions turning a world-fixed vector, seen from the body, through
    one gyro step each: by −ω dt about ω (the body turns by +ω dt)."""
    rate = np.linalg.norm(gyro_dps, axis=-1)
    half = -0.5 * np.radians(rate) * dt_s
    axis = gyro_dps / np.where(rate > 0.0, rate, 1.0)[..., None]
    return np.concatenate([np.cos(half)[..., None], axis * np.sin(half)[..., None]], axis=-1)


def power_of_two(n: int) -> int:
    """The smallest power of two ≥ n (1 for n ≤ 1)."""
    return 1 << max(0, n - 1).bit_length()


def ordered_product(q: FloatArray) -> FloatArray:
    """q[..., n−1, :] ⊗ … ⊗ q[..., 0, :] along the second-last axis, multiplying neighbours
    pairwise level by level (log2 n array operations). Trailing identities change nothing:
    n is first padded with them to a power of two."""
    n = q.shape[-2]
    padded = power_of_two(n)
    if padded > n:
        pad = np.zeros((*q.shape[:-2], padded - n, 4))
        pad[..., 0] = 1.0
        q = np.concatenate([q, pad], axis=-2)
    while q.shape[-2] > 1:
        q = quaternion_product(q[..., 1::2, :], q[..., 0::2, :])  # later after earlier
    return q[..., 0, :]


def carry_up(up: FloatArray, gyro_dps: FloatArray, dt_s: FloatArray) -> FloatArray:
    """Rotate the world-up vector (sensor axes) through the body rotations gyro·dt."""
    if gyro_dps.shape[0] == 0:
        return np.asarray(up, dtype=np.float64)
    return rotate(ordered_product(step_quaternions(gyro_dps, dt_s)), up)


def _product_table() -> FloatArray:
    """(16, 4): the Hamilton product's coefficient of a_i·b_j (row 4i + j) in each part."""
    table = np.zeros((16, 4))
    terms = {  # part: (i, j, sign) with w, x, y, z = 0, 1, 2, 3
        0: ((0, 0, 1), (1, 1, -1), (2, 2, -1), (3, 3, -1)),
        1: ((0, 1, 1), (1, 0, 1), (2, 3, 1), (3, 2, -1)),
        2: ((0, 2, 1), (1, 3, -1), (2, 0, 1), (3, 1, 1)),
        3: ((0, 3, 1), (1, 2, 1), (2, 1, -1), (3, 0, 1)),
    }
    for part, products in terms.items():
        for i, j, sign in products:
            table[4 * i + j, part] = sign
    return table


PRODUCT_TABLE = _product_table()


def quaternion_product(a: FloatArray, b: FloatArray) -> FloatArray:
    """Hamilton products a ⊗ b over the last axis (w, x, y, z): all products a_i·b_j, then
    one matrix product with the sign table (two array operations for any batch)."""
    a, b = np.broadcast_arrays(a, b)
    outer = a[..., :, None] * b[..., None, :]
    return np.asarray(outer.reshape(*outer.shape[:-2], 16) @ PRODUCT_TABLE, dtype=np.float64)


def cross(a: FloatArray, b: FloatArray) -> FloatArray:
    """Cross products over the last axis (3,) (``np.cross`` without its per-call overhead)."""
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    return np.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)


def rotate(q: FloatArray, v: FloatArray) -> FloatArray:
    """Vectors ``v`` (..., 3) rotated by unit quaternions ``q`` (..., 4) (w, x, y, z)."""
    u, w = q[..., 1:], q[..., :1]
    return np.asarray(v + 2.0 * cross(u, cross(u, v) + w * v), dtype=np.float64)


class FootStrikeStage:
    """Strike angles of one foot from its rows (t_s, acc_g xyz, gyro_dps xyz), each over a
    span running from the previous mid-stance sample to the last sample before IC.

    The samples within ``still_s`` of the mid-stance sample (at ``rate_hz``) average its
    gravity reading: a time, not a count, as at 50 Hz a few samples reach into push-off. Results of
    the last ``update``, one per row set: ``fsa_deg_`` (nan if not computable) and
    ``strikes_`` (None if not computable).
    """

    def __init__(
        self,
        thresholds: StrikeThresholds = DEFAULT_THRESHOLDS,
        rate_hz: float = 200.0,
        still_s: float = 0.015,
    ) -> None:
        self.thresholds = thresholds
        self.rate_hz = rate_hz
        self.still_s = still_s
        self.still_samples = max(1, round(still_s * rate_hz))
        self.fsa_deg_: list[float] = []
        self.strikes_: list[StrikeType | None] = []

    def update(
        self, rows: FloatArray, spans: list[tuple[int, int]], forward: FloatArray,
        gyro_bias_dps: FloatArray,
    ) -> None:  # fmt: skip
        """One strike per span [a, b) of ``rows``: a = the mid-stance row, b − 1 = the last
        row before IC."""
        self.fsa_deg_ = list(self.angles_deg(rows, spans, forward, gyro_bias_dps, backward=False))
        self.strikes_ = [
            None if np.isnan(f) else self.thresholds.classify(f) for f in self.fsa_deg_
        ]

    def angles_deg(
        self, rows: FloatArray, spans: list[tuple[int, int]], forward: FloatArray,
        gyro_bias_dps: FloatArray, backward: bool | Sequence[bool],
    ) -> FloatArray:  # fmt: skip
        """Foot pitch at the IC of each span. Forward: span = [mid-stance before, last row
        before IC + 1), up from the still rows at its start carried forward to its end.
        Backward: span = [last row before IC, mid-stance after + 1), up from the still rows
        at its end carried back to its start. ``backward`` for all spans or per span. nan
        where a span is too short."""
        out = np.full(len(spans), np.nan)
        usable = [k for k, (a, b) in enumerate(spans) if b - a >= 2]
        if not usable:
            return out
        a = np.array([spans[k][0] for k in usable])
        b = np.array([spans[k][1] for k in usable])
        gyro = 0.5 * (rows[:-1, 4:7] + rows[1:, 4:7]) - gyro_bias_dps  # trapezoid
        steps = step_quaternions(gyro, np.diff(rows[:, 0]))  # step k: row k -> k + 1
        index = a[:, None] + np.arange(power_of_two(int((b - a).max()) - 1))[None, :]
        inside = index < (b - 1)[:, None]
        q = steps[np.where(inside, index, 0)]
        q[~inside] = (1.0, 0.0, 0.0, 0.0)
        back = np.broadcast_to(np.asarray(backward, dtype=bool), (len(spans),))[usable]
        offsets = np.arange(self.still_samples)[None, :]
        still = np.where(
            back[:, None],
            np.maximum((b - 1)[:, None] - offsets, a[:, None]),
            np.minimum(a[:, None] + offsets, (b - 1)[:, None]),
        )
        mean = rows[still, 1:4].mean(axis=1)
        ups = mean / np.linalg.norm(mean, axis=1, keepdims=True)
        turn = ordered_product(q)
        # Backward: undo the turn (the inverse of a unit quaternion is its conjugate).
        turn = np.where(back[:, None], turn * np.array([1.0, -1.0, -1.0, -1.0]), turn)
        up_ic = rotate(turn, ups)
        out[usable] = np.degrees(np.arcsin(np.clip(up_ic @ forward, -1.0, 1.0)))
        return out
