"""Benchmarks: the platform's throughput as ratios to bare baselines measured in the same run.

`python -m bench` (or `make bench`). See docs/performance.md for what each ratio means.
"""
