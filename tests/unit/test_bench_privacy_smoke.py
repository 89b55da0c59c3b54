"""The privacy bench runs, and measures every shape at every length (its figures are in docs/performance.md)."""

from bench import privacy


def test_the_privacy_bench_measures_every_shape_beside_its_baseline():
    rows = privacy.run(lengths=(50, 100), rounds=1)
    assert {(r["shape"], r["chars"]) for r in rows} == {(s, n) for s in privacy.SHAPES for n in (50, 100)}
    assert all(r["guard_ms"] >= 0 and r["bare_ms"] >= 0 for r in rows)
