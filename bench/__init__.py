"""The benchmark: build times, page query timings, a pandas baseline, CSV export and app memory.

Run it with `python -m bench.run --reviews 10000000`; results go to `bench/results/`.
"""
