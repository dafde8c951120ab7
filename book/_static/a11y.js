/* Accessibility fixes that need the page's scripts to have run (issue 19; added to every
 * page by book/_ext/a11y.py, tested by tests/test_a11y.py).
 *
 * 1. sphinx-copybutton (0.5) adds an icon-only <button class="copybtn"> to every code cell
 *    on DOMContentLoaded, with its text only in a CSS tooltip (data-tooltip): screen
 *    readers announce "button". Each gets an accessible name.
 * 2. Sphinx's search (searchtools.js, Sphinx 7) cuts each result's snippet from the text of
 *    the result page's HTML, where math is still TeX source ("\(\frac{dv}{dt}\)"). Its
 *    Search.htmlToText is wrapped so that math becomes readable text first: a few TeX
 *    commands turn into Unicode (Greek letters, operators, fractions as a/b); math that
 *    would still show TeX becomes an ellipsis.
 */
(function () {
  "use strict";

  // --- 1. names for buttons that scripts made --------------------------------------------
  function nameButtons() {
    document.querySelectorAll("button.copybtn:not([aria-label])").forEach(function (button) {
      button.setAttribute("aria-label", "Copy code");
      var icon = button.querySelector("svg");
      if (icon) icon.setAttribute("aria-hidden", "true");
    });
  }

  // --- 2. search snippets without TeX -----------------------------------------------------
  var SYMBOLS = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε", zeta: "ζ",
    eta: "η", theta: "θ", kappa: "κ", lambda: "λ", mu: "μ", nu: "ν", xi: "ξ", pi: "π",
    rho: "ρ", sigma: "σ", tau: "τ", phi: "φ", varphi: "φ", chi: "χ", psi: "ψ", omega: "ω",
    Gamma: "Γ", Delta: "Δ", Theta: "Θ", Lambda: "Λ", Sigma: "Σ", Phi: "Φ", Psi: "Ψ", Omega: "Ω",
    partial: "∂", nabla: "∇", infty: "∞", sum: "Σ", prod: "Π", int: "∫", cdot: "·", times: "×",
    approx: "≈", neq: "≠", ne: "≠", leq: "≤", le: "≤", geq: "≥", ge: "≥", pm: "±", to: "→",
    rightarrow: "→", leftarrow: "←", in: "∈", sim: "∼", propto: "∝", ell: "ℓ", circ: "∘",
    odot: "⊙", ldots: "…", dots: "…", cdots: "⋯", log: "log", ln: "ln", exp: "exp", max: "max",
    min: "min", tanh: "tanh", sin: "sin", cos: "cos", quad: " ", qquad: " ", left: "", right: "",
    big: "", Big: "", bigl: "", bigr: "", mathrm: "", mathbf: "", mathit: "", text: "",
    operatorname: "", boldsymbol: "", mathcal: "", displaystyle: "", top: "ᵀ", sinh: "sinh",
    cosh: "cosh", arg: "arg", det: "det", Re: "Re", Im: "Im", lfloor: "⌊", rfloor: "⌋",
    lceil: "⌈", rceil: "⌉", mid: "|", forall: "∀", exists: "∃", ll: "≪", gg: "≫", mapsto: "↦",
    Rightarrow: "⇒", iff: "⇔", lvert: "|", rvert: "|", textrm: "", textit: "", mathsf: ""
  };

  var ACCENTS = { dot: "\u0307", ddot: "\u0308", hat: "\u0302", bar: "\u0304", tilde: "\u0303", vec: "\u20d7" };
  var BLACKBOARD = { R: "ℝ", N: "ℕ", Z: "ℤ", Q: "ℚ", C: "ℂ" };

  /** Plain text for a TeX formula, or "…" when it cannot be made readable. */
  function texToText(tex) {
    var s = tex.replace(/^\s*(\\\(|\\\[|\$\$?)/, "").replace(/(\\\)|\\\]|\$\$?)\s*$/, "");
    if (/\\begin\{/.test(s)) return "…";
    // Font and text commands keep their argument: \text{in} -> in (before fractions, so
    // that a fraction's parts have no braces left).
    s = s.replace(/\\(?:text|textrm|textit|mathrm|mathbf|mathit|mathsf|mathcal|boldsymbol|operatorname)\s*\{([^{}]*)\}/g, "$1");
    var group = function (x) { return /^[\w.]+$/.test(x) ? x : "(" + x + ")"; };
    for (var i = 0; i < 4; i++) {  // innermost groups first: nested fractions and scripts
      // Sub- and superscripts keep their grouping: v_{in} -> v_in, z_{k-1} -> z_(k-1).
      s = s.replace(/([_^])\s*\{([^{}]*)\}/g, function (_, op, x) { return op + group(x.trim()); });
      s = s.replace(/\\[dt]?frac\s*(?:\{([^{}]*)\}|(\w))\s*(?:\{([^{}]*)\}|(\w))/g, function (_, a, a1, b, b1) {
        a = a === undefined ? a1 : a;
        b = b === undefined ? b1 : b;
        return group(a) + "/" + group(b);
      });
    }
    s = s.replace(/\\sqrt\s*(?:\{([^{}]*)\}|(\w))/g, function (_, a, b) { return "√" + group(a || b); })
      .replace(/\^\s*\{?\\top\}?/g, "ᵀ")
      .replace(/\\mathbb\s*\{?([A-Z])\}?/g, function (_, c) { return BLACKBOARD[c] || c; })
      .replace(/\\(dot|ddot|hat|bar|tilde|vec)\s*(?:\{(\w)\}|(\w))/g, function (_, a, x, y) {
        return " " + (x || y) + ACCENTS[a];
      })
      .replace(/\\([{}|])/g, "$1")
      .replace(/\\(?:langle)/g, "⟨").replace(/\\(?:rangle)/g, "⟩")
      .replace(/\\[lr]?V(?:ert)|\\\|/g, "‖").replace(/\\[lr]vert/g, "|")
      .replace(/\\\\/g, "; ");
    s = s.replace(/\\([A-Za-z]+)/g, function (whole, name) {
      // The longest known command that starts the word: the passes above can glue a
      // letter to a command (\cdot\mathbf{w} -> \cdotw).
      for (var n = name.length; n > 0; n--) {
        if (Object.prototype.hasOwnProperty.call(SYMBOLS, name.slice(0, n))) {
          return SYMBOLS[name.slice(0, n)] + name.slice(n);
        }
      }
      return whole;
    });
    s = s.replace(/\\[,;:! ]/g, " ").replace(/[{}]/g, "").replace(/\s+/g, " ").trim();
    return /\\/.test(s) ? "…" : s;
  }

  function readableMath(root) {
    root.querySelectorAll(".math, mjx-container, script[type^='math/tex']").forEach(function (el) {
      var display = el.tagName === "DIV";
      var text = texToText(el.textContent);
      el.replaceWith((root.ownerDocument || root).createTextNode(display ? " " + text + " " : text));
    });
  }

  function wrapSearch() {
    if (typeof Search === "undefined" || typeof Search.htmlToText !== "function" ||
        Search.htmlToText.a11yWrapped) return;
    var original = Search.htmlToText;
    var wrapped = function (htmlString, anchor) {
      var doc = new DOMParser().parseFromString(htmlString, "text/html");
      readableMath(doc);
      return original(doc.documentElement.outerHTML, anchor);
    };
    wrapped.a11yWrapped = true;
    Search.htmlToText = wrapped;
  }

  wrapSearch();
  window.a11yTexToText = texToText;  // for tests/test_a11y.py
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", nameButtons);
  } else {
    nameButtons();
  }
  window.addEventListener("load", nameButtons);
})();
