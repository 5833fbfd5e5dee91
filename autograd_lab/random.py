"""Random numbers that are bit-identical to PyTorch's CPU generator.

One concept: a ``Generator`` is PyTorch's CPU generator, an mt19937 engine plus the one cached
Box-Muller sample, and the array functions below turn its 32-bit words into numbers with the
same recipes PyTorch's CPU kernels use, so ``torch.manual_seed(k); torch.randn(3)`` and
``manual_seed(k); normal((3,), np.float32)`` give the same bits.

How the numbers are made (all checked against torch 2.13 by experiment, see tests/test_random.py):

* Engine: mt19937 seeded from the low 32 bits of the 64-bit seed with the usual
  ``1812433253`` recurrence. We compute that 624-word key once in Python and hand it to
  ``numpy.random.MT19937``, whose ``random_raw`` yields the very same word stream fast.
  A "64-bit draw" is two words, the first one being the high half.
* ``uniform``: float32 takes the low 24 bits of one word, float64 the low 53 bits of a 64-bit
  draw; then ``x * (high - low) + low`` evaluated as one fused multiply-add (torch's kernel is
  compiled with FMA contraction, so we must round once, not twice), and a result that rounded
  up to ``high`` is replaced by ``low``.
* ``normal``: for fewer than 16 elements, scalar Box-Muller in double precision that returns
  ``r*cos`` and keeps ``r*sin`` in the generator's cache for the next call. For 16 or more
  elements, a block recipe: draw all uniforms, transform them 16 at a time (the first 8 give
  the radius, the last 8 the angle), and if the size is not a multiple of 16 draw 16 fresh
  uniforms and recompute the last 16 outputs. float64 blocks use the C library's
  ``log``/``cos``/``sin``; float32 blocks use PyTorch's AVX2 polynomial ``log``/``sincos``
  (avx_mathfun), which we replay operation by operation in float32, including the
  multiply-adds the compiler fused.
* ``bernoulli``: ``uniform < p`` (float64 uniforms for a number p, p's own type for an array).
* ``randint``: ``word % range + low``, with a 64-bit draw once ``range >= 2**28``.
* ``randperm``: Fisher-Yates with ``word % (n - i)``.

The default generator starts from a non-deterministic seed in every process, exactly as
PyTorch's does; a fresh ``Generator()`` starts from PyTorch's fixed default seed.
"""
from __future__ import annotations

import contextlib
import math
import os
from typing import Any, Iterator, Optional, Sequence

import numpy as np

__all__ = [
    "Generator", "default_generator", "manual_seed", "seed", "initial_seed",
    "get_rng_state", "set_rng_state", "fork_rng",
    "uniform", "normal", "bernoulli", "randint", "random", "randperm", "exponential",
    "multinomial",
]

DEFAULT_SEED = 67280421310721  # what torch.Generator() starts from
_MT_N = 624

_f32 = np.float32
_f64 = np.float64
_u64 = np.uint64


def _mt19937_key(seed: int) -> np.ndarray:
    """The 624-word mt19937 state right after seeding; only the low 32 bits of seed count."""
    key = np.empty(_MT_N, dtype=np.uint32)
    x = seed & 0xFFFFFFFF
    key[0] = x
    for j in range(1, _MT_N):
        x = (1812433253 * (x ^ (x >> 30)) + j) & 0xFFFFFFFF
        key[j] = x
    return key


def _check_seed(seed: Any) -> int:
    """Validate a seed the way torch does and return it as an unsigned 64-bit value."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
    seed = int(seed)
    if not -(1 << 63) <= seed < (1 << 64):
        raise ValueError("Overflow when unpacking long long")
    return seed & 0xFFFFFFFFFFFFFFFF


def _nondeterministic_seed() -> int:
    # torch reads 64 bits from /dev/urandom for the default generator and for seed()
    return int.from_bytes(os.urandom(8), "little")


# Byte layout of torch.get_rng_state() (CPUGeneratorImplState on x86-64), so our states can be
# compared with torch's byte for byte. The mt state words are stored widened to 64 bits.
_STATE_DTYPE = np.dtype([
    ("seed", "<u8"), ("left", "<i4"), ("seeded", "<i4"), ("next", "<u8"),
    ("state", "<u8", (_MT_N,)),
    ("normal_x", "<f8"), ("normal_y", "<f8"), ("normal_rho", "<f8"),
    ("normal_is_valid", "<i4"), ("_pad0", "V4"),
    ("float_sample", "<f4"), ("float_valid", "u1"), ("_pad1", "V3"),
])
assert _STATE_DTYPE.itemsize == 5056


class Generator:
    """PyTorch's CPU generator: mt19937 plus the cached second Box-Muller sample."""

    def __init__(self, device: Any = "cpu") -> None:
        if str(device) != "cpu":
            raise RuntimeError(f"autograd_lab only has a CPU generator, not one for {device!r}")
        self._bits = np.random.MT19937()
        self.manual_seed(DEFAULT_SEED)

    @property
    def device(self) -> Any:
        """``device(type='cpu')``: the only device here."""
        from .devices import device
        return device("cpu")

    # --- seeding and state -------------------------------------------------------------------
    def manual_seed(self, seed: int) -> "Generator":
        """Reseed (which clears the normal cache) and return self, as torch's does."""
        seed = _check_seed(seed)
        self._seed = seed
        self._bits.state = {"bit_generator": "MT19937",
                            "state": {"key": _mt19937_key(seed), "pos": _MT_N}}
        self._just_seeded = True  # only matters for the ``next`` field of get_state()
        # torch keeps a double cache (the one CPU kernels use) and a float one (never filled on
        # CPU, but part of the saved state)
        self.normal_cache: Optional[float] = None
        self.float_normal_cache: Optional[float] = None
        return self

    def seed(self) -> int:
        """Reseed from a non-deterministic 64-bit value and return it."""
        s = _nondeterministic_seed()
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        """The seed this generator was last seeded with."""
        return self._seed

    def get_state(self) -> Any:
        """The full state as a uint8 tensor of 5056 bytes, laid out exactly like
        ``torch.Generator.get_state()``."""
        from .tensor import _make
        return _make(self._state_bytes(), None)

    def _state_bytes(self) -> np.ndarray:
        st = self._bits.state["state"]
        pos = int(st["pos"])
        rec = np.zeros((), dtype=_STATE_DTYPE)
        rec["seed"] = self._seed
        # torch counts down ``left`` to the next twist; numpy counts up ``pos``
        rec["left"] = _MT_N + 1 - pos
        rec["seeded"] = 1
        rec["next"] = 0 if self._just_seeded else pos
        rec["state"] = st["key"].astype(np.uint64)
        if self.normal_cache is not None:
            rec["normal_is_valid"] = 1
            rec["normal_y"] = self.normal_cache
        if self.float_normal_cache is not None:
            rec["float_valid"] = 1
            rec["float_sample"] = self.float_normal_cache
        return np.frombuffer(rec.tobytes(), dtype=np.uint8).copy()

    def set_state(self, state: Any) -> "Generator":
        """Restore a state from ``get_state()`` (a uint8 tensor; torch's state holds the same
        bytes, so ``Generator().set_state(tensor(torch_state.numpy()))`` works)."""
        from .tensor import Tensor
        if not isinstance(state, Tensor):
            raise TypeError(f"expected a torch.ByteTensor, but got {type(state).__module__}."
                            f"{type(state).__name__}" if type(state).__module__ != "builtins"
                            else f"expected a torch.ByteTensor, but got {type(state).__name__}")
        if state._data.dtype != np.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        raw = np.ascontiguousarray(state._data).reshape(-1)
        if raw.size != _STATE_DTYPE.itemsize:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {_STATE_DTYPE.itemsize} "
                               f"but found the input RNG state size to be {raw.size}")
        rec = np.frombuffer(raw.tobytes(), dtype=_STATE_DTYPE)[0]
        left, nxt = int(rec["left"]), int(rec["next"])
        if not (rec["seeded"] and 0 < left <= _MT_N and nxt <= _MT_N):
            raise RuntimeError("Invalid mt19937 state")
        self._seed = int(rec["seed"])
        key = (rec["state"] & 0xFFFFFFFF).astype(np.uint32)
        self._bits.state = {"bit_generator": "MT19937",
                            "state": {"key": key, "pos": _MT_N + 1 - left}}
        self._just_seeded = left == 1 and nxt == 0
        self.normal_cache = float(rec["normal_y"]) if rec["normal_is_valid"] else None
        self.float_normal_cache = float(rec["float_sample"]) if rec["float_valid"] else None
        return self

    # --- raw draws ---------------------------------------------------------------------------
    def _words(self, n: int) -> np.ndarray:
        """n consecutive 32-bit engine outputs (as uint64)."""
        if n > 0:
            self._just_seeded = False
        return self._bits.random_raw(n)

    def _words64(self, n: int) -> np.ndarray:
        """n 64-bit draws: each is (first word << 32) | second word."""
        w = self._words(2 * n)
        return (w[0::2] << _u64(32)) | w[1::2]

    def __repr__(self) -> str:
        return f"<autograd_lab.random.Generator initial_seed={self._seed}>"


default_generator = Generator()
default_generator.seed()  # like torch: every process starts from a fresh random seed


def manual_seed(seed: Any) -> Generator:
    """Seed the default generator and return it (like ``torch.manual_seed``, this accepts
    anything ``int()`` accepts, e.g. ``3.0`` or ``True``, unlike ``Generator.manual_seed``)."""
    return default_generator.manual_seed(int(seed))


def seed() -> int:
    """Seed the default generator non-deterministically and return the seed."""
    return default_generator.seed()


def initial_seed() -> int:
    """The default generator's current seed."""
    return default_generator.initial_seed()


def get_rng_state() -> Any:
    """The default generator's state (a uint8 tensor of 5056 bytes, torch's layout)."""
    return default_generator.get_state()


def set_rng_state(new_state: Any) -> None:
    """Restore the default generator's state."""
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices: Any = None, enabled: bool = True, **_: Any) -> Iterator[None]:
    """Like ``torch.random.fork_rng``: the default generator's state is restored on exit."""
    if not enabled:
        yield
        return
    saved = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(saved)


# ================================ exact arithmetic helpers =====================================

def _fma32(a: Any, b: Any, c: Any, maybe_tiny: bool = True) -> np.ndarray:
    """a*b + c with a single float32 rounding (what the compiled kernels' FMA does).

    The product of two float32 is exact in float64, so only the sum is rounded twice (to
    float64, then to float32). That double rounding differs from one rounding only when the
    float64 sum lands exactly on a float32 half-way point, or where float32 is subnormal
    (callers that cannot produce such tiny values pass maybe_tiny=False to skip that check);
    those few elements are fixed by nudging them one float64 ulp towards the exact sum.
    """
    a, b, c = np.asarray(a, _f32), np.asarray(b, _f32), np.asarray(c, _f32)
    s = np.multiply(a, b, dtype=_f64)  # exact
    np.add(s, c, out=s, dtype=_f64)
    suspect = np.bitwise_and(s.view(np.int64), 0x1FFFFFFF) == 0x10000000
    if maybe_tiny:
        suspect |= np.abs(s) < 2.0 ** -125
    if suspect.any():
        idx = np.nonzero(suspect)
        ps = np.multiply(np.broadcast_to(a, s.shape)[idx], np.broadcast_to(b, s.shape)[idx],
                         dtype=_f64)
        cs = np.broadcast_to(c, s.shape)[idx].astype(_f64)
        ss = s[idx]
        bv = ss - ps
        err = (ps - (ss - bv)) + (cs - bv)  # exact: p + c == s + err
        s[idx] = np.where(err == 0, ss, np.nextafter(ss, np.where(err > 0, np.inf, -np.inf)))
    return s.astype(_f32)


def _two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = a + b
    bv = s - a
    return s, (a - (s - bv)) + (b - bv)


def _two_prod(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """p + e == a*b exactly (Dekker's product, no hardware FMA needed)."""
    p = a * b
    split = 134217729.0  # 2**27 + 1
    t = split * a
    ah = t - (t - a)
    al = a - ah
    t = split * b
    bh = t - (t - b)
    bl = b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _fma64(a: Any, b: Any, c: Any) -> np.ndarray:
    """a*b + c with a single float64 rounding (Boldo-Melquiond emulation via round-to-odd)."""
    a, b, c = (np.asarray(v, _f64) for v in (a, b, c))
    ph, pl = _two_prod(a, b)
    th, tl = _two_sum(c, ph)
    v, e = _two_sum(tl, pl)
    # round v to odd: if inexact and even, step one ulp towards the exact value
    odd_fix = (e != 0) & ((v.view(np.int64) & 1) == 0)
    if odd_fix.any():
        v = np.where(odd_fix, np.nextafter(v, np.where(e > 0, np.inf, -np.inf)), v)
    out = th + v
    # a zero result needs IEEE's sign rules, which the plain expression gets right: it is
    # either an exact cancellation (+0 both ways) or a zero product plus a zero
    zero = out == 0
    if zero.any():
        out = np.where(zero, a * b + c, out)
    return out


def _libm(fn: Any, x: np.ndarray) -> np.ndarray:
    """Apply a ``math`` function element-wise: that is the C library torch calls, and NumPy's
    own vectorised log/log1p differ from it in the last bit for some inputs."""
    flat = x.reshape(-1)
    return np.fromiter(map(fn, flat.tolist()), dtype=_f64, count=flat.size).reshape(x.shape)


def _scale_shift32(x: np.ndarray, scale: float | np.float32, shift: float | np.float32
                   ) -> np.ndarray:
    if scale == 1.0 and shift == 0.0:
        return x + _f32(0.0)  # fma(x, 1, 0) == x + 0 (turns -0.0 into +0.0, as the FMA does)
    return _fma32(x, scale, shift)


def _scale_shift64(x: np.ndarray, scale: float, shift: float) -> np.ndarray:
    if scale == 1.0 and shift == 0.0:
        return x + 0.0
    return _fma64(x, scale, shift)


# ======================================= uniform ===============================================

def _size(shape: Sequence[int]) -> int:
    return int(np.prod(shape, dtype=np.int64)) if len(shape) else 1


def _uniform01_f32(g: Generator, n: int) -> np.ndarray:
    # low 24 bits of a word, scaled into [0, 1): exact in float32
    return (g._words(n) & _u64(0xFFFFFF)).astype(_f32) * _f32(2.0 ** -24)


def _uniform01_f64(g: Generator, n: int) -> np.ndarray:
    # low 53 bits of a 64-bit draw, scaled into [0, 1): exact in float64
    return (g._words64(n) & _u64((1 << 53) - 1)).astype(_f64) * 2.0 ** -53


def _float_kind(np_dtype: Any) -> type:
    dt = np.dtype(np_dtype)
    if dt == np.float32:
        return _f32
    if dt == np.float64:
        return _f64
    raise TypeError(f"expected float32 or float64, got {dt}")


def uniform(shape: Sequence[int], np_dtype: Any, low: float = 0.0, high: float = 1.0,
            generator: Optional[Generator] = None) -> np.ndarray:
    """Samples from [low, high), as ``torch.rand`` / ``Tensor.uniform_``."""
    g = generator or default_generator
    kind = _float_kind(np_dtype)
    shape = tuple(shape)
    n = _size(shape)
    lo, hi = kind(low), kind(high)  # torch casts the bounds to the tensor's type first
    if not lo <= hi:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                           f"from={low} > to={high}")
    with np.errstate(over="ignore"):
        span = hi - lo
    if not np.isfinite(span):
        raise RuntimeError(f"uniform_ expects to-from <= std::numeric_limits<"
                           f"{'Float' if kind is _f32 else 'Double'}>::max(), but found "
                           f"to={high} and from={low} which result in to-from to exceed the limit")
    if kind is _f32:
        out = _scale_shift32(_uniform01_f32(g, n), span, lo)
    else:
        out = _scale_shift64(_uniform01_f64(g, n), float(span), float(lo))
    # rounding can land exactly on `high`; torch then returns `low`, keeping [low, high)
    out = np.where(out == hi, lo, out).astype(kind, copy=False)
    return out.reshape(shape)


# ======================================== normal ===============================================

_TWO_PI = 2.0 * math.pi


def _box_muller_scalar(g: Generator, n: int) -> np.ndarray:
    """n standard normals (float64) the element-by-element way, using and refilling the cache.

    Each fresh pair costs two 64-bit uniforms u1, u2: r = sqrt(-2 log1p(-u2)), t = 2 pi u1;
    r*cos(t) is returned now and r*sin(t) is cached for the next element (even across calls).
    """
    out = np.empty(n, dtype=_f64)
    if n == 0:
        return out
    start = 0
    if g.normal_cache is not None:
        out[0] = g.normal_cache
        g.normal_cache = None
        start = 1
    m = n - start
    pairs = (m + 1) // 2
    if pairs:
        u = _uniform01_f64(g, 2 * pairs)
        u1, u2 = u[0::2], u[1::2]
        r = np.sqrt(-2.0 * _libm(math.log1p, -u2))
        theta = _TWO_PI * u1
        both = np.empty(2 * pairs, dtype=_f64)
        both[0::2] = r * _libm(math.cos, theta)
        both[1::2] = r * _libm(math.sin, theta)
        out[start:] = both[:m]
        if m % 2:
            g.normal_cache = float(both[-1])
    return out


_ROWS_PER_CHUNK = 2048  # 16-value rows per batch: keeps the many temporaries in cache


def _normal_blocks(g: Generator, n: int, draw: Any, fill16: Any) -> np.ndarray:
    """The n >= 16 recipe: n uniforms, transformed 16 at a time by fill16 ((k, 16) -> (k, 16);
    columns 0-7 feed the radius, 8-15 the angle); if n % 16, then 16 more uniforms whose
    transform overwrites the last 16 outputs."""
    u = draw(g, n)
    rows = u[:n - n % 16].reshape(-1, 16)
    out = np.empty(n, dtype=u.dtype)
    body = out[:rows.size].reshape(-1, 16)
    for i in range(0, len(rows), _ROWS_PER_CHUNK):
        body[i:i + _ROWS_PER_CHUNK] = fill16(rows[i:i + _ROWS_PER_CHUNK])
    if n % 16:
        out[n - 16:] = fill16(draw(g, 16).reshape(1, 16)).reshape(-1)
    return out


def _normal_blocks_f64(g: Generator, n: int, mean: float, std: float) -> np.ndarray:
    def fill16(d: np.ndarray) -> np.ndarray:
        radius = np.sqrt(-2.0 * _libm(math.log, 1.0 - d[:, :8]))
        theta = _TWO_PI * d[:, 8:]
        cos_part = radius * _libm(math.cos, theta)
        sin_part = radius * _libm(math.sin, theta)
        return np.concatenate([_scale_shift64(cos_part, std, mean),
                               _scale_shift64(sin_part, std, mean)], axis=1)

    return _normal_blocks(g, n, _uniform01_f64, fill16)


# --- float32 blocks: a float32 replay of PyTorch's AVX2 log256_ps / sincos256_ps -------------
# Those are Cephes-style polynomial approximations (avx_mathfun.h), not the C library, so the
# only way to get the same bits is to redo each float32 operation in the same order. GCC fuses
# some of their mul+add pairs into FMAs; which ones was determined by testing against torch and
# is marked "fused" below.

_LOG_POLY = [_f32(v) for v in (7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1,
                               -1.2420140846E-1, 1.4249322787E-1, -1.6668057665E-1,
                               2.0000714765E-1, -2.4999993993E-1, 3.3333331174E-1)]
_LOG_Q1, _LOG_Q2 = _f32(-2.12194440e-4), _f32(0.693359375)
_SQRT_HALF = _f32(0.707106781186547524)
_MIN_NORM = np.array(0x00800000, dtype=np.uint32).view(_f32)
_FOUR_OVER_PI = _f32(1.27323954473516)
_DP1, _DP2, _DP3 = _f32(-0.78515625), _f32(-2.4187564849853515625e-4), _f32(-3.77489497744594108e-8)
_SIN_POLY = [_f32(v) for v in (-1.9515295891E-4, 8.3321608736E-3, -1.6666654611E-1)]
_COS_POLY = [_f32(v) for v in (2.443315711809948E-005, -1.388731625493765E-003,
                               4.166664568298827E-002)]
_HALF, _ONE, _ZERO = _f32(0.5), _f32(1.0), _f32(0.0)


def _fused(a: Any, b: Any, c: Any) -> np.ndarray:
    # every intermediate of the replay is far from float32's subnormal range
    return _fma32(a, b, c, maybe_tiny=False)


def _avx_log(x: np.ndarray) -> np.ndarray:
    """float32 natural log, operation-for-operation as PyTorch's log256_ps."""
    invalid = x <= 0
    x = np.maximum(x, _MIN_NORM)
    bits = x.view(np.uint32)
    exponent = (bits >> np.uint32(23)).astype(np.int32) - 127
    # mantissa with the exponent of 0.5, i.e. in [0.5, 1)
    x = ((bits & np.uint32(0x807FFFFF)) | np.uint32(0x3F000000)).view(_f32)
    e = exponent.astype(_f32) + _ONE
    small = x < _SQRT_HALF  # then use 2x - 1 and one less in the exponent
    x = (x - _ONE) + np.where(small, x, _ZERO)
    e = e - np.where(small, _ONE, _ZERO)
    z = x * x
    y = np.full_like(x, _LOG_POLY[0])
    for coef in _LOG_POLY[1:]:
        y = _fused(y, x, coef)                       # fused
    y = y * x
    y = _fused(y, z, e * _LOG_Q1)                    # fused: y*z + e*q1
    y = y - z * _HALF
    x = x + y
    x = _fused(e, _LOG_Q2, x)                        # fused (exact product anyway)
    return np.where(invalid, _f32(np.nan), x)


def _avx_sincos(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """float32 (sin, cos), operation-for-operation as PyTorch's sincos256_ps."""
    xb = x.view(np.uint32)
    sign_sin = xb & np.uint32(0x80000000)
    x = (xb & np.uint32(0x7FFFFFFF)).view(_f32)
    j = (x * _FOUR_OVER_PI).astype(np.int32)         # truncation, as cvttps
    j = (j + 1) & ~1
    y = j.astype(_f32)
    sign_sin = sign_sin ^ ((j & 4) << 29).astype(np.uint32)
    sign_cos = ((~(j - 2) & 4) << 29).astype(np.uint32)
    use_sin_poly = (j & 2) == 0
    # extended-precision range reduction x - y*pi/4 in three pieces
    x = _fused(y, _DP1, x)                           # fused
    x = _fused(y, _DP2, x)                           # fused
    x = _fused(y, _DP3, x)                           # fused
    z = x * x
    yc = np.full_like(x, _COS_POLY[0])
    yc = _fused(yc, z, _COS_POLY[1])                 # fused
    yc = _fused(yc, z, _COS_POLY[2])                 # fused
    yc = yc * z
    yc = _fused(yc, z, -(z * _HALF))                 # fused: yc*z - z/2
    yc = yc + _ONE
    ys = np.full_like(x, _SIN_POLY[0])
    ys = _fused(ys, z, _SIN_POLY[1])                 # fused
    ys = _fused(ys, z, _SIN_POLY[2])                 # fused
    ys = ys * z
    ys = _fused(ys, x, x)                            # fused
    # pick a polynomial per lane with the same masked adds as the original (keeps signed zeros)
    sin_from_ys = np.where(use_sin_poly, ys, _ZERO)
    sin_from_yc = np.where(use_sin_poly, _ZERO, yc)
    sin = (sin_from_yc + sin_from_ys).view(np.uint32) ^ sign_sin
    cos = ((yc - sin_from_yc) + (ys - sin_from_ys)).view(np.uint32) ^ sign_cos
    return sin.view(_f32), cos.view(_f32)


def _normal_blocks_f32(g: Generator, n: int, mean: float, std: float) -> np.ndarray:
    mean32, std32 = _f32(mean), _f32(std)
    two_pi32 = _f32(_TWO_PI)

    def fill16(d: np.ndarray) -> np.ndarray:
        radius = np.sqrt(_f32(-2.0) * _avx_log(_ONE - d[:, :8]))
        sin, cos = _avx_sincos(two_pi32 * d[:, 8:])
        return np.concatenate([_scale_shift32(radius * cos, std32, mean32),
                               _scale_shift32(radius * sin, std32, mean32)], axis=1)

    return _normal_blocks(g, n, _uniform01_f32, fill16)


def normal(shape: Sequence[int], np_dtype: Any, mean: float = 0.0, std: float = 1.0,
           generator: Optional[Generator] = None, contiguous: bool = True) -> np.ndarray:
    """Normal samples, as ``torch.randn`` / ``Tensor.normal_(mean, std)``.

    ``contiguous=False`` reproduces ``normal_`` on a non-contiguous tensor, which torch fills
    element by element (the small-tensor path) whatever its size; values come out in the
    order torch's iterator visits them, which the caller must map to positions.
    """
    g = generator or default_generator
    kind = _float_kind(np_dtype)
    if not std >= 0.0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    shape = tuple(shape)
    n = _size(shape)
    if n >= 16 and contiguous:
        if kind is _f32:
            out = _normal_blocks_f32(g, n, mean, std)
        else:
            out = _normal_blocks_f64(g, n, float(mean), float(std))
    else:
        out = _scale_shift64(_box_muller_scalar(g, n), float(std), float(mean)).astype(kind)
    return out.reshape(shape)


# ====================================== bernoulli ==============================================

def bernoulli(p: Any, shape: Sequence[int], np_dtype: Any = np.float32,
              generator: Optional[Generator] = None) -> np.ndarray:
    """0/1 samples with P(1) = p, as ``Tensor.bernoulli_(p)`` (so dropout) and ``torch.bernoulli``.

    A Python-number p is compared with float64 uniforms (one 64-bit draw each). An array p (the
    probabilities tensor, broadcast to shape) is compared with uniforms of its own float type.
    """
    g = generator or default_generator
    shape = tuple(shape)
    n = _size(shape)
    if np.ndim(p) == 0 and not isinstance(p, np.ndarray):
        p = float(p)
        if not 0.0 <= p <= 1.0:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
        hits = _uniform01_f64(g, n) < p
    else:
        probs = np.broadcast_to(np.asarray(p), shape).reshape(-1)
        if probs.dtype == np.float64:
            hits = _uniform01_f64(g, n) < probs
        else:
            hits = _uniform01_f32(g, n) < probs.astype(_f32)
    return hits.astype(np_dtype).reshape(shape)


# ======================================= integers ==============================================

def randint(low: int, high: int, shape: Sequence[int], np_dtype: Any = np.int64,
            generator: Optional[Generator] = None) -> np.ndarray:
    """Integers uniform on [low, high), as ``torch.randint`` / ``Tensor.random_(low, high)``."""
    g = generator or default_generator
    low, high = int(low), int(high)
    if not low < high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got "
                           f"from={low} >= to={high}")
    span = high - low
    shape = tuple(shape)
    n = _size(shape)
    # torch uses one 32-bit word per value, or a 64-bit draw once the range is 2**28 or more
    # (to keep the modulo bias small); the dtype does not matter
    raw = g._words64(n) if span >= (1 << 28) else g._words(n)
    offset = (raw % _u64(span)).view(np.int64)
    vals = (offset + np.int64(low)) if low else offset  # wraps like torch's int64 arithmetic
    return vals.astype(np_dtype).reshape(shape)


def random(shape: Sequence[int], np_dtype: Any = np.int64,
           generator: Optional[Generator] = None) -> np.ndarray:
    """``Tensor.random_()`` without bounds: [0, 2**mantissa] for floats, [0, max] for ints.

    (DataLoader's RandomSampler seeds its generator with an int64 ``random_()``.)
    """
    g = generator or default_generator
    dt = np.dtype(np_dtype)
    shape = tuple(shape)
    n = _size(shape)
    if dt == np.bool_:
        return (g._words(n) & _u64(1)).astype(np.bool_).reshape(shape)
    if dt == np.int64:
        raw, mod = g._words64(n), 1 << 63
    elif dt == np.float64:
        raw, mod = g._words64(n), (1 << 53) + 1
    elif dt == np.float32:
        raw, mod = g._words(n), (1 << 24) + 1
    elif dt.kind in "iu" and dt.itemsize < 8:
        raw, mod = g._words(n), int(np.iinfo(dt).max) + 1
    else:
        raise TypeError(f"random: unsupported dtype {dt}")
    return (raw % _u64(mod)).astype(dt).reshape(shape)


_RANDPERM_SMALL = 0xFFFFFFFF // 20  # below this, torch keeps the classic 32-bit Fisher-Yates


def randperm(n: int, np_dtype: Any = np.int64, generator: Optional[Generator] = None) -> np.ndarray:
    """A random permutation of 0..n-1, as ``torch.randperm``."""
    g = generator or default_generator
    n = int(n)
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    if n < _RANDPERM_SMALL:
        # swap position i with i + word % (n - i), for i = 0 .. n-2
        perm = list(range(n))
        if n > 1:
            steps = (g._words(n - 1) % np.arange(n, 1, -1, dtype=_u64)).tolist()
            for i, z in enumerate(steps):
                j = i + z
                perm[i], perm[j] = perm[j], perm[i]
        return np.array(perm, dtype=np.int64).astype(np_dtype)
    # huge n: torch switches to the "inside-out" shuffle with 64-bit draws
    out = np.empty(n, dtype=np.int64)
    draws = g._words64(n)
    for i in range(n):
        z = int(draws[i] % _u64(i + 1))
        out[i] = out[z]
        out[z] = i
    return out.astype(np_dtype)


# ===================================== exponential =============================================

def exponential(shape: Sequence[int], np_dtype: Any, lambd: float = 1.0,
                generator: Optional[Generator] = None) -> np.ndarray:
    """Exponential samples with rate ``lambd``, as ``Tensor.exponential_``.

    One float64 uniform u per element (whatever the dtype), then ``-1/lambd * log1p(-u)`` in
    double precision with the C library's log1p, rounded to the tensor's type.
    """
    g = generator or default_generator
    kind = _float_kind(np_dtype)
    lambd = float(lambd)
    if not (math.isfinite(lambd) and lambd > 0.0):
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd:g}")
    shape = tuple(shape)
    u = _uniform01_f64(g, _size(shape))
    out = (-1.0 / lambd) * _libm(math.log1p, -u)
    return out.astype(kind).reshape(shape)


# ===================================== multinomial =============================================

_SCALAR_TYPE_NAMES = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char",
                      "uint8": "Byte", "bool": "Bool"}  # C++ ScalarType names in torch's errors


def multinomial(probs: np.ndarray, num_samples: int, replacement: bool = False,
                generator: Optional[Generator] = None) -> np.ndarray:
    """Category indices drawn from each row of ``probs`` (1-D or 2-D), as ``torch.multinomial``.

    Without replacement, or for a single sample, torch uses the exponential race (Gumbel-max):
    one exponential q per probability, then the largest ``p / q`` wins (the ``num_samples``
    largest, in decreasing order). With replacement it walks the rows in order: a float
    cumulative sum normalised by its total (last entry forced to 1), then one float64 uniform
    per sample, placed by binary search (first bucket whose cumulative value is >= u).
    """
    g = generator or default_generator
    p = np.asarray(probs)
    if p.dtype.kind != "f":
        raise RuntimeError("multinomial only supports floating-point dtypes for input, got: "
                           f"{_SCALAR_TYPE_NAMES.get(p.dtype.name, p.dtype.name)}")
    if p.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    num_samples = int(num_samples)
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    n_cat = p.shape[-1]
    if not replacement and num_samples > n_cat:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if n_cat > (1 << 24):
        raise RuntimeError("number of categories cannot exceed 2^24")
    rows = p.reshape(-1, n_cat)
    if not replacement or num_samples == 1:
        if rows.size and not (np.all(rows < np.inf) and np.all(rows >= 0)):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if np.any(rows.sum(axis=1) == 0):
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        q = exponential(rows.shape, rows.dtype, 1.0, generator=g)
        with np.errstate(divide="ignore", invalid="ignore"):
            score = rows / q
        if num_samples == 1:
            out = np.argmax(score, axis=1)[:, None]
        else:
            # largest first; a stable sort on the negated scores keeps ties in index order
            out = np.argsort(-score, axis=1, kind="stable")[:, :num_samples]
    else:
        out = np.empty((rows.shape[0], num_samples), dtype=np.int64)
        acc = rows.dtype if rows.dtype in (np.float32, np.float64) else np.dtype(_f32)
        for i, row in enumerate(rows.astype(acc, copy=False)):
            if np.any(row < 0):
                raise RuntimeError("invalid multinomial distribution (encountering probability "
                                   "entry < 0)")
            if not np.all(np.isfinite(row)):
                raise RuntimeError("invalid multinomial distribution (encountering probability "
                                   "entry = infinity or NaN)")
            cum = np.cumsum(row, dtype=acc)
            total = cum[-1]
            if not total > 0:
                raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
            cum = cum / total
            cum[-1] = 1
            u = _uniform01_f64(g, num_samples)
            out[i] = np.searchsorted(cum.astype(_f64), u, side="left")
    return out.astype(np.int64).reshape(p.shape[:-1] + (num_samples,))
