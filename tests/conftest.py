"""Test-wide settings: property tests judge results, never their wall-clock time."""

from hypothesis import settings

# A shared 2-core machine makes example timings noisy; speed is measured by benchmarks/.
settings.register_profile("default", deadline=None)
settings.load_profile("default")
