"""Start the real bot (action server + Rasa server) on loopback for `make run`, tests and benchmarks."""
