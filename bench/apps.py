from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark data and load tooling: installed by local, test and bench settings only."""

    name = "bench"
    verbose_name = "Benchmarks"
