"""Plans: the integral safety plan and its cycle — the plan record, its gemeenten and
period, the status of the six steps of the method, roles per plan, the working group,
comments, and the history of every change.

Owns ``Plan`` and everything hanging from it. May import ``accounts``, ``areas``,
``catalogue``, ``datasets`` and ``analysis``. Changes go through ``services``; who may do
what is decided in ``access``; step transitions in ``workflow``.
"""
