/* Explorable widget figures (issue 20; book/_ext/explorable.py writes the controls and states).
 *
 * Under a widget's static figure, <div class="explorable" data-manifest="..."> holds real form
 * controls (labelled range inputs and selects whose values are indices into the pre-drawn grid)
 * and an <output> readout. Nothing is fetched until the reader first touches a control (focus,
 * pointer or input): then the manifest, then every state's image (so sliding feels continuous).
 * On input the figure's <img> gets the state's src and alt and the readout its text. Printing
 * shows the default figure. No dependency, no network beyond the site itself.
 */
(function () {
  "use strict";

  function figureImage(block) {
    // The figure is the element just before the block (book/_ext/explorable.py inserts it there).
    var node = block.previousElementSibling;
    while (node) {
      var img = node.tagName === "IMG" ? node : node.querySelector("img");
      if (img) return img;
      node = node.previousElementSibling;
    }
    return null;
  }

  function setup(block) {
    var img = figureImage(block);
    if (!img) return;
    var controls = Array.prototype.slice.call(block.querySelectorAll("input[data-key], select[data-key]"));
    var readout = block.querySelector(".explorable-readout");
    var base = new URL(block.getAttribute("data-manifest"), document.baseURI);
    var initial = block.getAttribute("data-initial");
    var original = { src: img.getAttribute("src"), alt: img.getAttribute("alt") || "" };
    var current = { src: original.src, alt: original.alt };
    var manifest = null;
    var loading = null;
    var cache = [];

    function load() {
      if (!loading) {
        loading = fetch(base.href, { credentials: "same-origin" })
          .then(function (response) {
            if (!response.ok) throw new Error("explorable: " + response.status + " " + base.href);
            return response.json();
          })
          .then(function (data) {
            manifest = data;
            Object.keys(data.states).forEach(function (name) {
              var preload = new Image();
              preload.src = new URL(data.states[name].src, base).href;
              cache.push(preload);
            });
            return data;
          });
      }
      return loading;
    }

    function stateName() {
      return controls.map(function (control) { return control.value; }).join("-");
    }

    function show() {
      var name = stateName();
      controls.forEach(function (control, i) {
        if (control.tagName === "INPUT" && manifest) {
          var label = manifest.controls[i].labels[Number(control.value)];
          control.setAttribute("aria-valuetext", label);
          var value = control.parentNode.querySelector(".explorable-value");
          if (value) value.textContent = label;
        }
      });
      if (!manifest) return;
      var state = manifest.states[name];
      if (!state) return;
      if (name === initial) {
        current = { src: original.src, alt: original.alt };
      } else {
        current = { src: new URL(state.src, base).href, alt: state.alt };
      }
      img.src = current.src;
      img.alt = current.alt;
      img.setAttribute("data-explorable-state", name);
      readout.textContent = state.readout;
      block.setAttribute("data-state", name);
    }

    function wake() {
      load().then(show).catch(function (error) {
        block.classList.add("explorable-failed");
        readout.textContent = "The pre-drawn figures could not be loaded.";
        if (window.console) console.warn(error);
      });
    }

    controls.forEach(function (control) {
      control.addEventListener("focus", function () { load().catch(function () {}); });
      control.addEventListener("pointerdown", function () { load().catch(function () {}); });
      control.addEventListener("input", wake);
      control.addEventListener("change", wake);
    });

    // Print the default figure; back to the reader's state afterwards.
    window.addEventListener("beforeprint", function () {
      img.src = original.src;
      img.alt = original.alt;
    });
    window.addEventListener("afterprint", function () {
      img.src = current.src;
      img.alt = current.alt;
    });
    block.classList.add("explorable-ready");
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".explorable[data-manifest]"), setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
