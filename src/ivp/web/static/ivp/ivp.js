/* ivp: small enhancements every page shares (loaded by base.html; no inline script, so the
   Content-Security-Policy stays strict). Without JavaScript every page still works.

   1. Tables: every table sits in a scroll wrapper, so a wide table scrolls on its own and the
      page does not (WCAG 1.4.10 reflow at 320 px). A wrapper that really scrolls is made
      reachable by keyboard (tabindex 0) and named after the table's caption or heading.
   2. Focus after an htmx swap (WCAG 2.4.3): when a click or submit replaces the element that had
      focus, focus goes to a sensible place instead of <body>:
        - a form that came back with errors: its error summary (or a message marked
          data-ivp-focus, such as the question whether to finish an incomplete step);
        - a form that was just opened (GET): its first field;
        - a reorder (a named button such as "omhoog"): the same button on the moved row, or the
          row when that button is gone;
        - anything else (a saved part, a cancelled form): the part's heading.
   3. Error summaries (NL Design System pattern): on page load the first summary gets focus;
      its links move focus to the field (for a group of checkboxes: the first box). */
(function () {
  "use strict";

  var WRAPPERS = ".ivp-scroll, .ivp-va-scroll, .ivp-uv-scroll, .ivp-bp-scroll, .catalogue-table-wrap, .ivp-job-scroll, [data-ivp-scroll]";
  var FIELDS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";

  function headingBefore(el) {
    while (el && el !== document.body) {
      var prev = el.previousElementSibling;
      while (prev) {
        if (/^H[1-6]$/.test(prev.tagName)) return prev.textContent.trim();
        prev = prev.previousElementSibling;
      }
      el = el.parentElement;
    }
    return "";
  }

  function tableName(table) {
    var caption = table && table.querySelector("caption");
    if (caption) return caption.textContent.trim();
    return headingBefore(table) || document.title.split("·")[0].trim();
  }

  function markScrollable(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("data-ivp-added", "");
      if (!wrap.hasAttribute("role")) wrap.setAttribute("role", "region");
      if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
        // a region's name must be unique on the page: number a repeated one
        var name = "Tabel: " + tableName(wrap.querySelector("table"));
        var label = name;
        for (var n = 2; document.querySelector('[role=region][aria-label="' + CSS.escape(label) + '"]'); n++) {
          label = name + " (" + n + ")";
        }
        wrap.setAttribute("aria-label", label);
      }
    } else if (!scrolls && wrap.hasAttribute("data-ivp-added")) {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
      wrap.removeAttribute("data-ivp-added");
    }
  }

  function wrapTables(root) {
    var main = root.querySelectorAll ? root : document;
    main.querySelectorAll("main table, .ivp-main table").forEach(function (table) {
      if (table.closest(WRAPPERS)) return;
      // a wrapper of a page's own (any element that scrolls sideways) counts too
      for (var up = table.parentElement; up && up.tagName !== "MAIN"; up = up.parentElement) {
        var overflow = getComputedStyle(up).overflowX;
        if (overflow === "auto" || overflow === "scroll") {
          up.setAttribute("data-ivp-scroll", "");
          return;
        }
      }
      var wrap = document.createElement("div");
      wrap.className = "ivp-scroll";
      table.parentNode.insertBefore(wrap, table);
      wrap.appendChild(table);
    });
    document.querySelectorAll(WRAPPERS).forEach(markScrollable);
  }

  function focusOn(el) {
    if (!el) return;
    if (!el.matches("a[href], button, input, select, textarea, [tabindex]")) el.setAttribute("tabindex", "-1");
    el.focus();
  }

  function headingOf(part) {
    if (/^H[1-6]$/.test(part.tagName)) return part;
    return part.querySelector("h1, h2, h3, h4, h5, h6, th[scope=row], legend") || part;
  }

  function firstField(part) {
    var fields = part.querySelectorAll(FIELDS);
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].offsetParent !== null) return fields[i];
    }
    return null;
  }

  function sameButton(info) {
    if (!info.action || !info.name) return null;
    var selector = '[hx-post="' + CSS.escape(info.action) + '"]';
    var forms = document.querySelectorAll(selector);
    for (var i = 0; i < forms.length; i++) {
      var buttons = forms[i].querySelectorAll("button[name]");
      for (var j = 0; j < buttons.length; j++) {
        if (buttons[j].name === info.name && buttons[j].value === info.value && !buttons[j].disabled) return buttons[j];
      }
    }
    // the same move is no longer possible (the row is now first or last): the row itself
    return forms.length ? forms[0].closest("tr, li, section, [id]") : null;
  }

  document.addEventListener("htmx:beforeRequest", function (e) {
    var cfg = e.detail.requestConfig || {};
    var trigger = cfg.triggeringEvent;
    if (!e.detail.xhr || !trigger || ["click", "submit", "change", "keyup"].indexOf(trigger.type) < 0) return;
    var elt = e.detail.elt;
    var submitter = trigger.submitter || (trigger.type === "click" ? trigger.target : null);
    // kept with the request: another request (a refresh the swap triggers) may start before
    // this one settles
    e.detail.xhr.ivpFocus = {
      verb: (cfg.verb || "get").toLowerCase(),
      action: elt.getAttribute("hx-post") || elt.getAttribute("hx-get"),
      name: submitter && submitter.name,
      value: submitter && submitter.value,
      targetId: e.detail.target && e.detail.target.id,
    };
  });

  document.addEventListener("htmx:afterSettle", function (e) {
    wrapTables(document);
    var info = e.detail.xhr && e.detail.xhr.ivpFocus;
    if (!info) return;
    e.detail.xhr.ivpFocus = null;
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    var part = (info.targetId && document.getElementById(info.targetId)) || e.detail.target;
    if (!part || !part.isConnected) part = document.querySelector("main");
    var summary = part.matches("[data-ivp-error-summary]") ? part : part.querySelector("[data-ivp-error-summary], [data-ivp-focus]");
    if (summary) return focusOn(summary);
    if (info.verb === "get") {
      var field = firstField(part);
      if (field) return focusOn(field);
    }
    var button = sameButton(info);
    if (button) return focusOn(button.matches("button") ? button : headingOf(button));
    focusOn(headingOf(part));
  });

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest(".ivp-error-summary a[href^='#']");
    if (!link) return;
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) return;
    e.preventDefault();
    target.scrollIntoView({ block: "center" });
    focusOn(target.matches(FIELDS) ? target : firstField(target) || target);
  });

  function onLoad() {
    wrapTables(document);
    var summary = document.querySelector("[data-ivp-error-summary]");
    if (summary) focusOn(summary);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onLoad);
  else onLoad();
  window.addEventListener("resize", function () {
    document.querySelectorAll(WRAPPERS).forEach(markScrollable);
  });
})();
