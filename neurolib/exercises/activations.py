"""Exercise checks of chapter 07, activation functions (model: :mod:`neurolib.activations`).

Shared machinery: :mod:`neurolib.exercises.base`.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from .. import activations as act
from .base import check_array, check_function, exercise, report, _number

__all__ = [
    "check_tanh_derivative", "check_stable_softmax", "WORKED_Z", "check_softmax_jacobian", "OUTPUT_TASKS",
    "check_output_functions", "SLOPE_FUNCTIONS", "slope_answers", "check_slope_prediction",
    "check_logistic_chain_weight",
]


_WIDE = [np.linspace(-5, 5, 41), np.array([-700.0, -40.0, 0.0, 40.0, 700.0]), np.array([1e4, -1e4])]


@exercise
def check_tanh_derivative(candidate: Callable[[np.ndarray], np.ndarray] | None) -> bool:
    """Exercise ex-tanh-derivative: a function computing tanh'(z) from tanh alone."""
    return check_function(candidate, act.tanh_derivative, _WIDE, rtol=1e-6, atol=1e-12, what="your tanh'")


@exercise
def check_stable_softmax(candidate: Callable[[np.ndarray], np.ndarray] | None) -> bool:
    """Exercise ex-stable-softmax: a softmax over a 1-D vector that survives huge inputs."""
    inputs = [
        np.array([0.6, 3.4, -1.2, 0.05]),
        np.array([1000.0, 1001.0, 1002.0]),
        np.array([-1000.0, -1001.0, -1002.0]),
        np.array([1e4, 0.0, -1e4]),
        np.zeros(5),
    ]
    return check_function(candidate, act.softmax, inputs, rtol=1e-9, atol=1e-15, what="your softmax")


#: The worked example of chapter 07.
WORKED_Z = np.array([0.6, 3.4, -1.2, 0.05])


@exercise
def check_softmax_jacobian(answer: Any) -> bool:
    """Exercise ex-softmax-jacobian: the 4 × 4 softmax Jacobian at the worked example ``WORKED_Z``."""
    return check_array(answer, act.softmax_jacobian(WORKED_Z), rtol=1e-3, what="your Jacobian")


#: Exercise ex-output-functions: the tasks, and which output function each needs.
OUTPUT_TASKS: dict[str, str] = {
    "predict tomorrow's temperature in °C": "linear",
    "is this e-mail spam?": "logistic",
    "which of 10 digits is in this image?": "softmax",
}


@exercise
def check_output_functions(answer: Mapping[str, str] | None) -> bool:
    """Exercise ex-output-functions: map each task in :data:`OUTPUT_TASKS` to an output function name."""
    if not isinstance(answer, Mapping):
        return report(False, "", f"answer must be a dict task -> function name, got {type(answer).__name__}")
    missing = [task for task in OUTPUT_TASKS if task not in answer]
    if missing:
        return report(False, "", f"no answer for: {missing}")
    wrong = [task for task, fn in OUTPUT_TASKS.items() if str(answer[task]).strip().lower() != fn]
    return report(
        not wrong,
        "all three output functions are right.",
        f"{len(wrong)} of 3 wrong, e.g. for {wrong[0]!r}: think about the range of the target"
        if wrong
        else "",
    )


# --- Issue 17: predict with the widget, derive when a logistic chain cannot grow a gradient ---

#: Exercise ex-activation-predict-slope (predict, then choose in the widget): the maximum of f'(z) that the
#: activation explorer reports at its default range, for each of these functions.
SLOPE_FUNCTIONS: tuple[str, ...] = ("step", "logistic", "tanh", "clip")


def slope_answers() -> dict[str, float]:
    """The largest derivative the widget draws for each of :data:`SLOPE_FUNCTIONS` (default range)."""
    from ..widgets.activations import ActivationExplorer

    app = ActivationExplorer()
    answers = {}
    for name in SLOPE_FUNCTIONS:
        app.update(activation=name)
        answers[name] = float(np.max(app.line_df.get_ydata()))
    return answers


@exercise
def check_slope_prediction(answer: Any) -> bool:
    """Exercise ex-activation-predict-slope: a dict function name -> the largest f'(z) the widget shows (to 1 %)."""
    if not isinstance(answer, Mapping):
        return report(False, "", f"answer must be a dict function -> number, got {type(answer).__name__}")
    missing = [name for name in SLOPE_FUNCTIONS if name not in answer]
    if missing:
        return report(False, "", f"no answer for: {missing}")
    truth = slope_answers()
    wrong = []
    for name in SLOPE_FUNCTIONS:
        try:
            value = float(answer[name])
        except (TypeError, ValueError):
            return report(False, "", f"the answer for {name!r} must be a number, got {type(answer[name]).__name__}")
        if not np.isfinite(value):
            return report(False, "", f"the answer for {name!r} is not a finite number")
        if abs(value - truth[name]) > 1e-2 * max(1.0, abs(truth[name])):
            wrong.append(name)
    return report(
        not wrong,
        "all four right: the best case per layer is 0 for the step, 1/4 for the logistic function, "
        "1 for tanh and the clipped line.",
        f"{len(wrong)} of 4 wrong, e.g. {wrong[0]!r}: choose it in the widget and read the right panel" if wrong else "",
    )


@exercise
def check_logistic_chain_weight(answer: Any) -> bool:
    """Exercise ex-activation-chain-weight: the largest ``abs(w)`` for which a chain of logistic units,
    one weight w per layer, can never make the gradient grow from one layer to the next, whatever
    the z."""
    got = _number(answer, "answer must be a number")
    expected = 1.0 / float(act.logistic_derivative(0.0))
    if abs(got - expected) <= 1e-6 * expected:
        return report(True, "right: |w σ'(z)| <= |w|/4, so |w| <= 4 guarantees no growth, and only then.", "")
    if abs(got - 1.0) <= 1e-6:
        return report(False, "", "with |w| = 1 the gradient cannot grow, but neither can it for somewhat larger |w|; use max σ' = 1/4")
    return report(False, "", f"{got:.4g} is off; the factor per layer is w σ'(z); how large can σ'(z) be?")
