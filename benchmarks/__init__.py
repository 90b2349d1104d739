"""Measurement tooling: `make eval` (benchmarks.nlu_eval) and `make bench` (benchmarks.load_bench).

Both compare our configuration (config.yml) with Rasa's default pipeline and policies
(benchmarks/baseline_config.yml) trained on the same data in the same run, print the figures with
ours/baseline ratios and the project's targets beside them, and write their reports to reports/
(git-ignored). They measure; they never pass or fail.
"""
