"""Writes of the evaluations, one module per concept; every rule lives with its message and is audited.

- ``evaluations``: open, self-assess, score, finalise (quota, members before their head), objective causes
- ``appeals``: file and decide
- ``schemes``: the agency's weights
- ``discipline``: disciplinary measures
- ``records``: the shared steps (lock, compute, save with history and audit)

The public names are gathered here so callers write ``services.evaluation_finalise(...)``.
"""

from .appeals import appeal_deadline, appeal_decide, appeal_file
from .discipline import measure_record
from .evaluations import (
    evaluation_finalise,
    evaluation_open,
    evaluation_score,
    evaluations_finalise,
    evaluator_of,
    objective_cause_confirm,
    self_assess,
    self_assessment_deadline,
)
from .records import clean_points, compute
from .schemes import SCHEME_FIELDS, scheme_update

__all__ = [
    "SCHEME_FIELDS",
    "appeal_deadline",
    "appeal_decide",
    "appeal_file",
    "clean_points",
    "compute",
    "evaluation_finalise",
    "evaluation_open",
    "evaluation_score",
    "evaluations_finalise",
    "evaluator_of",
    "measure_record",
    "objective_cause_confirm",
    "scheme_update",
    "self_assess",
    "self_assessment_deadline",
]
