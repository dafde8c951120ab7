"""Exercise checks of chapter 01, membrane potentials (model: :mod:`neurolib.membrane`).

Shared machinery: :mod:`neurolib.exercises.base`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import membrane as _membrane
from .base import exercise, report, _number

__all__ = ["EX1_CL_OUT", "EX1_CL_IN", "EX1_TEMPERATURE", "check_chloride_nernst"]


#: Exercise ex-chloride-nernst: the mammalian chloride concentrations (mM) and the temperature (°C).
EX1_CL_OUT: float = 110.0
EX1_CL_IN: float = 10.0
EX1_TEMPERATURE: float = 37.0


@exercise
def check_chloride_nernst(answer: Any) -> bool:
    """Exercise ex-chloride-nernst: the Nernst potential of Cl⁻ (mV) for :data:`EX1_CL_OUT`, :data:`EX1_CL_IN`
    at :data:`EX1_TEMPERATURE` (to 0.1 mV)."""
    got = _number(answer, "answer must be a number in mV")
    expected = float(_membrane.nernst(EX1_CL_OUT, EX1_CL_IN, -1, EX1_TEMPERATURE))
    if abs(got - expected) <= 0.1:
        return report(True, f"right: E_Cl = {expected:.1f} mV, close to the resting potential.", "")
    if abs(got + expected) <= 0.1:
        return report(False, "", "the size is right but the sign is not: chloride carries the charge z = -1")
    if abs(got - expected / 1e3) <= 1e-4 or abs(got + expected / 1e3) <= 1e-4:
        return report(False, "", "that looks like volts: give the answer in mV")
    return report(False, "", f"{got:.4g} mV is off; use R T / (z F) with T in kelvin and ln (not log10)")
