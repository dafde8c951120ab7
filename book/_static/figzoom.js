/* Tap-to-enlarge for figures whose text would be too small to read (issue 19).
 *
 * A figure of the book is drawn for the text column of a laptop (about 7 inches at 100 dpi);
 * on a phone it is scaled to the screen's width, and its smallest text (10 pt, 13.9 px at its
 * own size) shrinks to 5-7 CSS px. For every figure image book/_ext/a11y.py writes the
 * figure's dpi (from its PNG) and smallest font size (the book's figure style) into
 * data-figzoom-dpi and data-figzoom-pt. From them this script measures the size of the
 * smallest text as shown,
 *
 *     text px = (pt / 72 x dpi) x shown width / natural width,
 *
 * and where that is under MIN_TEXT_PX (9 CSS px) shows a real button under the figure,
 * "Enlarge figure 4.3", that opens the image in a modal <dialog> at the width where its text
 * is at least MIN_TEXT_PX (its natural size or more), scrolling sideways with a shadow on the
 * side where there is more. The Close button, Esc and a tap on the empty space around the
 * figure close it; focus returns to the button. The decision is made again whenever the figure's size or image
 * changes (a rotated phone, an opened dropdown, an explorable figure's new state: the
 * dialog shows the state the figure shows). Wide screens where the text is large enough
 * see no button. Printing is unaffected (figzoom.css hides buttons and dialog).
 * Tested by tests/test_phone.py and tests/test_a11y.py.
 */
(function () {
  "use strict";

  var MIN_TEXT_PX = 9;
  var FIGURES = ".bd-article img[data-figzoom-dpi][data-figzoom-pt]";
  var dialog = null;
  var opener = null;

  /** Size in CSS px of the figure's smallest text when the image is `width` CSS px wide. */
  function textPx(img, width) {
    var dpi = parseFloat(img.getAttribute("data-figzoom-dpi"));
    var pt = parseFloat(img.getAttribute("data-figzoom-pt"));
    if (!(dpi > 0 && pt > 0 && img.naturalWidth > 0)) return NaN;
    return (pt / 72) * dpi * width / img.naturalWidth;
  }

  /** Width (CSS px) of the enlarged image: its natural width, or more if that is too small. */
  function zoomWidth(img) {
    var atNatural = textPx(img, img.naturalWidth);
    return Math.ceil(img.naturalWidth * Math.max(1, MIN_TEXT_PX / atNatural));
  }

  function figureNumber(img) {
    var figure = img.closest("figure");
    var number = figure && figure.querySelector(".caption-number");
    // "Fig. 4.3 " -> "4.3"
    return number ? number.textContent.replace(/^\D+/, "").trim() : "";
  }

  function shortAlt(img) {
    var alt = (img.getAttribute("alt") || "").trim();
    if (alt.length <= 60) return alt;
    return alt.slice(0, 60).replace(/\s+\S*$/, "") + "…";
  }

  function buildDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "figzoom-dialog";
    dialog.setAttribute("aria-labelledby", "figzoom-title");
    dialog.innerHTML =
      '<div class="figzoom-bar">' +
      '<h2 class="figzoom-title" id="figzoom-title"></h2>' +
      '<button type="button" class="figzoom-close" aria-label="Close the enlarged figure">' +
      '<span aria-hidden="true">✕</span> Close</button></div>' +
      '<div class="figzoom-frame">' +
      '<div class="figzoom-scroll" tabindex="0" role="group"><img class="figzoom-image" alt=""></div>' +
      '<div class="figzoom-shade figzoom-shade-left" aria-hidden="true"></div>' +
      '<div class="figzoom-shade figzoom-shade-right" aria-hidden="true"></div></div>' +
      '<p class="figzoom-hint" id="figzoom-hint">Scroll sideways to see the whole figure.</p>' +
      '<div class="figzoom-caption"></div>';
    document.body.appendChild(dialog);
    var scroll = dialog.querySelector(".figzoom-scroll");
    dialog.querySelector(".figzoom-close").addEventListener("click", function () { dialog.close(); });
    // A tap on the backdrop or on the dialog's empty space (below the caption) closes, as
    // expected of a lightbox; the image itself can be dragged and scrolled.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close();
    });
    dialog.addEventListener("close", function () {
      document.documentElement.classList.remove("figzoom-open-page");
      if (opener && opener.isConnected) opener.focus();
    });
    scroll.addEventListener("scroll", shade, { passive: true });
    window.addEventListener("resize", function () { if (dialog.open) shade(); });
    window.addEventListener("beforeprint", function () { if (dialog.open) dialog.close(); });
  }

  /** The shadows on the edges behind which part of the enlarged image is hidden. */
  function shade() {
    var scroll = dialog.querySelector(".figzoom-scroll");
    var range = scroll.scrollWidth - scroll.clientWidth;
    dialog.classList.toggle("figzoom-more-left", scroll.scrollLeft > 1);
    dialog.classList.toggle("figzoom-more-right", scroll.scrollLeft < range - 1);
    dialog.querySelector(".figzoom-hint").hidden = range <= 1;
  }

  function open(img, button) {
    if (!dialog) buildDialog();
    opener = button;
    var number = figureNumber(img);
    var title = number ? "Figure " + number : "Figure";
    dialog.querySelector(".figzoom-title").textContent = title;
    var scroll = dialog.querySelector(".figzoom-scroll");
    scroll.setAttribute("aria-label", title + ", enlarged");
    scroll.setAttribute("aria-describedby", "figzoom-hint");
    var big = dialog.querySelector(".figzoom-image");
    // The figure as it is now (an explorable figure may show another state than its first).
    big.src = img.currentSrc || img.src;
    big.alt = img.alt;
    big.style.width = zoomWidth(img) + "px";
    big.setAttribute("data-figzoom-dpi", img.getAttribute("data-figzoom-dpi"));
    big.setAttribute("data-figzoom-pt", img.getAttribute("data-figzoom-pt"));
    var caption = img.closest("figure") && img.closest("figure").querySelector(".caption-text");
    dialog.querySelector(".figzoom-caption").textContent = caption ? caption.textContent : "";
    document.documentElement.classList.add("figzoom-open-page");
    dialog.showModal();
    scroll.scrollLeft = 0;
    scroll.scrollTop = 0;
    dialog.querySelector(".figzoom-close").focus();
    shade();
  }

  function setup(img) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "figzoom-button";
    button.hidden = true;
    var number = figureNumber(img);
    button.innerHTML =
      '<svg aria-hidden="true" focusable="false" viewBox="0 0 16 16" width="16" height="16">' +
      '<circle cx="6.5" cy="6.5" r="4.5" fill="none" stroke="currentColor" stroke-width="1.6"/>' +
      '<path d="M10 10l4.5 4.5M6.5 4.3v4.4M4.3 6.5h4.4" stroke="currentColor" stroke-width="1.6"/></svg>' +
      '<span></span>';
    button.querySelector("span").textContent = "Enlarge figure" + (number ? " " + number : "");
    if (!number && img.getAttribute("alt")) {
      // Several unnumbered figures on a page: the name says which one.
      button.setAttribute("aria-label", "Enlarge figure: " + shortAlt(img));
    }
    button.addEventListener("click", function () { open(img, button); });
    img.addEventListener("click", function () { if (!button.hidden) open(img, button); });
    img.insertAdjacentElement("afterend", button);

    function update() {
      var shown = img.getBoundingClientRect().width;
      var small = shown > 0 && textPx(img, shown) < MIN_TEXT_PX - 0.05;
      button.hidden = !small;
      img.classList.toggle("figzoom-zoomable", small);
      img.setAttribute("data-figzoom-text-px", shown > 0 ? textPx(img, shown).toFixed(1) : "");
    }
    img.addEventListener("load", update);
    if (window.ResizeObserver) new ResizeObserver(update).observe(img);
    else window.addEventListener("resize", update);
    update();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(FIGURES), setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
