"""Exercise checks of chapter 08, gradients of a dense layer (model: :mod:`neurolib.dense`).

Shared machinery: :mod:`neurolib.exercises.base`.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import activations as act
from .. import dense as _dense
from .base import check_array, check_function, exercise, report, _number

__all__ = [
    "EX8_W", "EX8_B", "EX8_H", "EX8_Y", "check_dense_backward", "check_output_gradients", "check_stable_bce",
    "TRAINER_QUESTIONS", "TRAINER_LEVEL", "trainer_answers", "check_trainer_prediction",
    "RATIO_LOGIT", "RATIO_TARGET", "check_loss_gradient_ratio",
]


#: Exercise ex-dense-output-gradients: a softmax output layer ``o = W h + b`` and the target class (one-hot).
EX8_W = np.array([[0.5, -1.0, 0.25], [1.5, 0.0, -0.5]])
EX8_B = np.array([0.1, -0.2])
EX8_H = np.array([1.0, 0.5, -2.0])
EX8_Y = np.array([0.0, 1.0])


def _ex8_backward_reference(W: np.ndarray, b: np.ndarray, x: np.ndarray, delta: np.ndarray) -> np.ndarray:
    layer = _dense.Dense(W, b, "tanh")
    layer.forward(x)
    g = layer.backward(delta)
    return np.concatenate([g.dx.ravel(), g.dW.ravel(), g.db.ravel()])


@exercise
def check_dense_backward(candidate: Callable[..., Any] | None) -> bool:
    """Exercise ex-dense-backward: ``candidate(W, b, x, delta) -> (dx, dW, db)`` for a tanh layer, one example."""
    rng = np.random.default_rng(8)
    cases = []
    for m, n in [(2, 3), (4, 1), (1, 5), (3, 3)]:
        cases.append((rng.normal(size=(m, n)), rng.normal(size=m), rng.normal(size=n), rng.normal(size=m)))
    packed = [np.concatenate([W.ravel(), b, x, d]) for W, b, x, d in cases]
    shapes = {len(p): c[0].shape for p, c in zip(packed, cases)}

    def unpack(p: np.ndarray) -> tuple[np.ndarray, ...]:
        m, n = shapes[len(p)]
        W, rest = p[: m * n].reshape(m, n), p[m * n :]
        return W, rest[:m], rest[m : m + n], rest[m + n :]

    def flat(fn: Callable[..., Any]) -> Callable[[np.ndarray], np.ndarray]:
        def run(p: np.ndarray) -> np.ndarray:
            out = fn(*unpack(p))
            if not isinstance(out, (tuple, list)) or len(out) != 3:
                raise TypeError("return the three arrays (dx, dW, db) as a tuple")
            dx, dW, db = (np.asarray(a, dtype=float) for a in out)
            W = unpack(p)[0]
            for name, got, want in [("dx", dx, (W.shape[1],)), ("dW", dW, W.shape), ("db", db, (W.shape[0],))]:
                if got.shape != want:
                    raise ValueError(f"{name} has shape {got.shape}, expected {want}")
            return np.concatenate([dx.ravel(), dW.ravel(), db.ravel()])

        return run

    return check_function(
        flat(candidate),
        lambda p: _ex8_backward_reference(*unpack(p)),
        packed,
        rtol=1e-7,
        atol=1e-12,
        what="your backward pass (dx, dW, db concatenated)",
    )


@exercise
def check_output_gradients(answer: Any) -> bool:
    """Exercise ex-dense-output-gradients: ``(grad_W, grad_h)`` of the softmax cross-entropy for ``EX8_W, EX8_B, EX8_H, EX8_Y``."""
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return report(False, "", "answer must be a pair (grad_W, grad_h)")
    z = act.softmax(EX8_W @ EX8_H + EX8_B)
    ok_W = check_array(answer[0], np.outer(z - EX8_Y, EX8_H), rtol=1e-3, what="grad_W")
    ok_h = check_array(answer[1], EX8_W.T @ (z - EX8_Y), rtol=1e-3, what="grad_h")
    return report(ok_W and ok_h, "both gradients are right.", "not yet: see the line(s) above.")


@exercise
def check_stable_bce(candidate: Callable[[np.ndarray, np.ndarray], float] | None) -> bool:
    """Exercise ex-dense-stable-bce: ``candidate(o, y)``, the binary cross-entropy from logits, finite for any logit."""
    if not callable(candidate):
        return report(False, "", f"your loss must be a function, got {type(candidate).__name__}")
    cases = [
        (np.array([0.3, -1.2, 2.0]), np.array([1.0, 0.0, 1.0])),
        (np.array([40.0, -40.0]), np.array([0.0, 1.0])),
        (np.array([800.0, -800.0, 1e4, -1e4]), np.array([1.0, 0.0, 0.0, 1.0])),
        (np.array([0.0]), np.array([0.5])),
    ]
    packed = [np.concatenate([o, y]) for o, y in cases]

    def split(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return p[: p.size // 2], p[p.size // 2 :]

    return check_function(
        lambda p: candidate(*split(p)),
        lambda p: _dense.binary_cross_entropy(*split(p)),
        packed,
        rtol=1e-9,
        atol=1e-12,
        what="your binary cross-entropy",
    )


# --- Issue 17: predict with the widget, derive why cross-entropy learns faster ---------------

#: Exercise ex-dense-predict-trainer (predict, then move the sliders): after the widget's 40 epochs, is the test
#: accuracy at least 90 %? Answer each (width, learning rate) with "yes" or "no".
TRAINER_QUESTIONS: dict[str, tuple[int, float]] = {
    "width 4, rate 1": (4, 1.0),
    "width 4, rate 3": (4, 3.0),
    "width 32, rate 0.3": (32, 0.3),
}
TRAINER_LEVEL: float = 0.9


def trainer_answers() -> dict[str, str]:
    """The answers to :data:`TRAINER_QUESTIONS`, from the widget's own (cached) training runs."""
    from ..widgets.dense import DenseTrainer

    app = DenseTrainer()
    answers = {}
    for question, (width, rate) in TRAINER_QUESTIONS.items():
        accuracy = float(app.run(width, rate).test_accuracy[app.EPOCHS])
        answers[question] = "yes" if accuracy >= TRAINER_LEVEL else "no"
    return answers


@exercise
def check_trainer_prediction(answer: Any) -> bool:
    """Exercise ex-dense-predict-trainer: for each question of :data:`TRAINER_QUESTIONS`, "yes" or "no"."""
    if not isinstance(answer, dict):
        return report(False, "", f"answer must be a dict question -> 'yes'/'no', got {type(answer).__name__}")
    missing = [q for q in TRAINER_QUESTIONS if q not in answer]
    if missing:
        return report(False, "", f"no answer for: {missing}")
    truth = trainer_answers()
    wrong = [q for q in TRAINER_QUESTIONS if str(answer[q]).strip().lower() != truth[q]]
    return report(
        not wrong,
        "all three right: four tanh units can bend the boundary enough, but at rate 1 they have not "
        "got there in 40 epochs; a wide layer gets there even at rate 0.3.",
        f"{len(wrong)} of 3 wrong, e.g. {wrong[0]!r}: set the sliders, epoch 40, and read the title" if wrong else "",
    )


#: Exercise ex-dense-loss-ratio: a logistic output unit, confidently wrong.
RATIO_LOGIT: float = -5.0
RATIO_TARGET: float = 1.0


@exercise
def check_loss_gradient_ratio(answer: Any) -> bool:
    """Exercise ex-dense-loss-ratio: at logit ``RATIO_LOGIT`` and target ``RATIO_TARGET``, the ratio of ∂C/∂o of
    the cross-entropy to ∂C/∂o of the squared error ½(σ(o) - y)², to 0.1 %."""
    got = _number(answer, "answer must be a number")
    a = float(act.logistic(RATIO_LOGIT))
    bce = float(_dense.binary_cross_entropy_gradient(np.array([RATIO_LOGIT]), np.array([RATIO_TARGET]))[0])
    squared = (a - RATIO_TARGET) * a * (1.0 - a)
    expected = bce / squared
    if abs(got - expected) <= 1e-3 * expected:
        return report(True, f"right: {expected:.1f} = 1/σ'(o); the cross-entropy's gradient is that much larger.", "")
    if abs(got - 1.0 / expected) <= 1e-3 / expected:
        return report(False, "", "that is the inverse: cross-entropy over squared error")
    return report(False, "", f"{got:.4g} is off; write both gradients with a = σ(o) and divide")
