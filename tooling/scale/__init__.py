"""Scale and benchmarking: a province-sized synthetic data set (``seed_scale``) and the measurements taken on
it (``bench``). See docs/performance.md.

This package spans every app (it writes leads and projects, and measures reports), so unlike the rest of
``crm`` it imports from apps to its right. Nothing in the product imports it: it is tooling that lives beside
the code it measures, reached only through the two management commands and the tests in tests/scale/.
"""
