"""Incentive awards (招商引资奖励): the pure computation engine and the policy file format.

``engine.compute(policy, facts)`` is the one way an award is reached; ``policy_file`` reads and writes the
human-readable policy files shipped in ``policies/`` and edited by administrators.
"""
