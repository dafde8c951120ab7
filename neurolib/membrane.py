"""Why the membrane is charged: Nernst and Goldman–Hodgkin–Katz potentials (chapter 01).

An ion species that can cross the membrane is in equilibrium when the electrical force on it
balances diffusion down its concentration gradient. The membrane potential at which this
happens is the ion's **Nernst potential**

.. math:: E = \\frac{R T}{z F} \\ln \\frac{[\\text{ion}]_{out}}{[\\text{ion}]_{in}}.

With several permeable ions (K⁺, Na⁺, Cl⁻), no single equilibrium exists; the potential at
which the net current is zero is the **Goldman–Hodgkin–Katz (GHK) voltage equation**

.. math:: V = \\frac{R T}{F} \\ln
   \\frac{P_K [K]_o + P_{Na} [Na]_o + P_{Cl} [Cl]_i}{P_K [K]_i + P_{Na} [Na]_i + P_{Cl} [Cl]_o}.

Units: concentrations in mM (any common unit works, only ratios enter), temperature in °C,
potentials in mV; permeabilities are relative (only their ratios matter).

Main entry points: :func:`nernst` (one ion), :func:`ghk_voltage` (rest with several ions),
:func:`ghk_current` (the GHK flux equation, whose zero :func:`ghk_voltage` is) and
:class:`IonConcentrations` with the presets ``IonConcentrations.mammalian()`` and
``IonConcentrations.squid()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._checks import as_real_array, check_instance, check_nonnegative, check_positive, check_real_scalar

__all__ = [
    "GAS_CONSTANT",
    "FARADAY",
    "ZERO_CELSIUS",
    "BODY_TEMPERATURE",
    "thermal_voltage",
    "nernst",
    "ghk_voltage",
    "ghk_voltage_ratio",
    "ghk_current",
    "IonConcentrations",
    "Permeabilities",
]

#: Molar gas constant R (J / (mol K)), exact SI value.
GAS_CONSTANT: float = 8.314462618
#: Faraday constant F (C / mol), exact SI value.
FARADAY: float = 96485.33212
#: 0 °C in kelvin.
ZERO_CELSIUS: float = 273.15
#: Mammalian body temperature (°C), the default of every function here.
BODY_TEMPERATURE: float = 37.0


def thermal_voltage(temperature: float = BODY_TEMPERATURE) -> float:
    """``R T / F`` in mV at ``temperature`` (°C): about 26.7 mV at 37 °C.

    Raises
    ------
    ValueError
        If the absolute temperature is not positive (below −273.15 °C) or not finite.
    """
    celsius = check_real_scalar(temperature, "temperature", "°C")
    kelvin = check_positive(celsius + ZERO_CELSIUS, "temperature + 273.15", "K")
    return 1e3 * GAS_CONSTANT * kelvin / FARADAY


def _concentration(value: object, name: str) -> np.ndarray:
    arr = as_real_array(value, name, allow_nan=False, allow_inf=False)
    if np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0 mM, got {arr[arr <= 0].flat[0]:g}")
    return arr


def nernst(c_out: object, c_in: object, valence: int = 1, temperature: float = BODY_TEMPERATURE) -> np.ndarray | float:
    """Nernst (equilibrium, reversal) potential of one ion species, in mV.

    .. math:: E = \\frac{R T}{z F} \\ln \\frac{c_{out}}{c_{in}}

    Parameters
    ----------
    c_out, c_in : float or array_like
        Extracellular and intracellular concentrations (mM, > 0); broadcast together.
    valence : int, default 1
        Charge number z of the ion (+1 for K⁺ and Na⁺, +2 for Ca²⁺, −1 for Cl⁻); not 0.
    temperature : float, default 37
        Temperature (°C).

    Returns
    -------
    float or numpy.ndarray
        The potential (mV, inside relative to outside); a float for scalar input.

    Examples
    --------
    >>> round(nernst(5.0, 140.0), 1)   # K+ in a mammalian neuron at 37 °C
    -89.1
    """
    out = _concentration(c_out, "c_out")
    inside = _concentration(c_in, "c_in")
    if isinstance(valence, bool) or not isinstance(valence, (int, np.integer)):
        raise TypeError(f"valence must be an integer charge number, got {type(valence).__name__} {valence!r}")
    if valence == 0:
        raise ValueError("valence must not be 0: an uncharged particle has no Nernst potential")
    e = thermal_voltage(temperature) / int(valence) * np.log(out / inside)
    return float(e) if e.ndim == 0 else e


@dataclass(frozen=True)
class IonConcentrations:
    """Concentrations of K⁺, Na⁺ and Cl⁻ outside and inside a cell (mM, all > 0).

    Presets: :meth:`mammalian` (typical values for a mammalian neuron) and :meth:`squid`
    (the squid giant axon of Hodgkin and Katz).
    """

    K_out: float = 5.0
    K_in: float = 140.0
    Na_out: float = 145.0
    Na_in: float = 12.0
    Cl_out: float = 110.0
    Cl_in: float = 10.0

    def __post_init__(self) -> None:
        for name in ("K_out", "K_in", "Na_out", "Na_in", "Cl_out", "Cl_in"):
            check_positive(getattr(self, name), name, "mM")

    @classmethod
    def mammalian(cls) -> "IonConcentrations":
        """Typical mammalian neuron: K⁺ 5/140, Na⁺ 145/12, Cl⁻ 110/10 mM (out/in)."""
        return cls()

    @classmethod
    def squid(cls) -> "IonConcentrations":
        """Squid giant axon: K⁺ 20/400, Na⁺ 440/50, Cl⁻ 560/52 mM (out/in)."""
        return cls(K_out=20.0, K_in=400.0, Na_out=440.0, Na_in=50.0, Cl_out=560.0, Cl_in=52.0)

    def reversal_potentials(self, temperature: float = BODY_TEMPERATURE) -> dict[str, float]:
        """Nernst potentials ``{"K": E_K, "Na": E_Na, "Cl": E_Cl}`` in mV at ``temperature`` (°C)."""
        return {
            "K": nernst(self.K_out, self.K_in, 1, temperature),
            "Na": nernst(self.Na_out, self.Na_in, 1, temperature),
            "Cl": nernst(self.Cl_out, self.Cl_in, -1, temperature),
        }


@dataclass(frozen=True)
class Permeabilities:
    """Relative resting permeabilities of the membrane to K⁺, Na⁺ and Cl⁻ (>= 0, not all 0).

    The default 1 : 0.03 : 0.45 is close to the ratio Hodgkin and Katz measured in the squid
    axon (1 : 0.04 : 0.45) and, with :meth:`IonConcentrations.mammalian`, gives a resting
    potential of −70 mV at 37 °C.
    """

    K: float = 1.0
    Na: float = 0.03
    Cl: float = 0.45

    def __post_init__(self) -> None:
        total = 0.0
        for name in ("K", "Na", "Cl"):
            total += check_nonnegative(getattr(self, name), f"P_{name}")
        if total == 0:
            raise ValueError("at least one permeability must be > 0, got P_K = P_Na = P_Cl = 0")


def _ions_and_permeabilities(ions: Any, permeabilities: Any) -> tuple["IonConcentrations", "Permeabilities"]:
    ions = IonConcentrations() if ions is None else ions
    p = Permeabilities() if permeabilities is None else permeabilities
    check_instance(ions, "ions", IonConcentrations, "an IonConcentrations or None")
    check_instance(p, "permeabilities", Permeabilities, "a Permeabilities or None")
    return ions, p


def ghk_voltage(
    ions: IonConcentrations | None = None,
    permeabilities: Permeabilities | None = None,
    temperature: float = BODY_TEMPERATURE,
) -> float:
    """Resting potential from the Goldman–Hodgkin–Katz voltage equation, in mV.

    .. math:: V = \\frac{R T}{F} \\ln
       \\frac{P_K [K]_o + P_{Na} [Na]_o + P_{Cl} [Cl]_i}{P_K [K]_i + P_{Na} [Na]_i + P_{Cl} [Cl]_o}

    Chloride is an anion, so its inside and outside concentrations swap places.

    Parameters
    ----------
    ions : IonConcentrations, default ``IonConcentrations.mammalian()``
        Concentrations (mM).
    permeabilities : Permeabilities, default ``Permeabilities()`` (1 : 0.03 : 0.45)
        Relative permeabilities.
    temperature : float, default 37
        Temperature (°C).

    Returns
    -------
    float
        The potential at which the net ionic current through the membrane is zero (mV).
        With a single permeable ion it equals that ion's Nernst potential.
    """
    ions = IonConcentrations() if ions is None else ions
    p = Permeabilities() if permeabilities is None else permeabilities
    if not isinstance(ions, IonConcentrations):
        raise TypeError(f"ions must be an IonConcentrations, got {type(ions).__name__}")
    if not isinstance(p, Permeabilities):
        raise TypeError(f"permeabilities must be a Permeabilities, got {type(p).__name__}")
    numerator = p.K * ions.K_out + p.Na * ions.Na_out + p.Cl * ions.Cl_in
    denominator = p.K * ions.K_in + p.Na * ions.Na_in + p.Cl * ions.Cl_out
    return thermal_voltage(temperature) * float(np.log(numerator / denominator))


def ghk_voltage_ratio(
    p_na: object,
    ions: IonConcentrations | None = None,
    p_cl: float = 0.45,
    temperature: float = BODY_TEMPERATURE,
) -> np.ndarray | float:
    """:func:`ghk_voltage` (mV) as a vectorised function of the ratio ``P_Na / P_K``.

    Parameters
    ----------
    p_na : float or array_like
        Permeability to Na⁺ relative to K⁺ (>= 0).
    ions : IonConcentrations, default ``IonConcentrations.mammalian()``
        Concentrations (mM).
    p_cl : float, default 0.45
        Permeability to Cl⁻ relative to K⁺ (>= 0).
    temperature : float, default 37
        Temperature (°C).
    """
    ions = IonConcentrations() if ions is None else ions
    if not isinstance(ions, IonConcentrations):
        raise TypeError(f"ions must be an IonConcentrations, got {type(ions).__name__}")
    r = as_real_array(p_na, "p_na", allow_nan=False, allow_inf=False)
    if np.any(r < 0):
        raise ValueError(f"p_na must be >= 0, got {r[r < 0].flat[0]:g}")
    p_cl = check_nonnegative(p_cl, "p_cl")
    numerator = ions.K_out + r * ions.Na_out + p_cl * ions.Cl_in
    denominator = ions.K_in + r * ions.Na_in + p_cl * ions.Cl_out
    v = thermal_voltage(temperature) * np.log(numerator / denominator)
    return float(v) if v.ndim == 0 else v


def ghk_current(
    v: object,
    ions: IonConcentrations | None = None,
    permeabilities: Permeabilities | None = None,
    temperature: float = BODY_TEMPERATURE,
) -> np.ndarray | float:
    """Net GHK current through the membrane at potential ``v`` (mV), in arbitrary units.

    Sum over ions of the GHK flux equation

    .. math::

        I_s \\propto P_s z_s^2 u\\,\\frac{c_{in} - c_{out} e^{-z_s u}}{1 - e^{-z_s u}}

    with :math:`u = V F / (R T)`; positive = outward. Its zero is :func:`ghk_voltage`.
    The factor :math:`u / (1 - e^{-z u})` is evaluated with :func:`scipy.special.exprel`,
    so ``v = 0`` gives the finite limit.

    Parameters
    ----------
    v : float or array_like
        Membrane potential (mV).
    ions, permeabilities, temperature
        As in :func:`ghk_voltage`.
    """
    from scipy.special import exprel

    ions, p = _ions_and_permeabilities(ions, permeabilities)
    u = as_real_array(v, "v", allow_nan=False, allow_inf=False) / thermal_voltage(temperature)
    total = np.zeros_like(u)
    for perm, z, c_in, c_out in [
        (p.K, 1, ions.K_in, ions.K_out),
        (p.Na, 1, ions.Na_in, ions.Na_out),
        (p.Cl, -1, ions.Cl_in, ions.Cl_out),
    ]:
        # z^2 u (c_in - c_out e^{-x}) / (1 - e^{-x}) with x = z u, rewritten as
        # z (c_in / exprel(-x) - c_out / exprel(x)): both terms finite at x = 0.
        x = z * u
        total = total + perm * z * (c_in / exprel(-x) - c_out / exprel(x))
    return float(total) if total.ndim == 0 else total
