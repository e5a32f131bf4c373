// mentormap's own small script. Every page works without it; it only makes some things quicker.
"use strict";

(function () {
  function debounce(fn, ms) {
    let timer = null;
    return function () {
      const args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  // Search as you type: refresh the results of a GET filter form in place.
  function liveFilter(form) {
    const target = document.querySelector(form.dataset.live);
    if (!target) return;
    let latest = 0;
    const refresh = debounce(function () {
      const params = new URLSearchParams(new FormData(form));
      const ticket = ++latest;
      history.replaceState(null, "", form.action + "?" + params.toString());
      params.set("partial", "1");
      fetch(form.action + "?" + params.toString(), { headers: { Accept: "text/html" } })
        .then(function (response) { return response.text(); })
        .then(function (html) { if (ticket === latest) target.innerHTML = html; })
        .catch(function () { /* keep the current list; the form still works on submit */ });
    }, 180);
    form.addEventListener("input", refresh);
    form.addEventListener("change", refresh);
  }

  // Name autocomplete: fill a <datalist> with names that match what has been typed.
  function suggest(input) {
    const list = document.querySelector(input.dataset.suggest);
    if (!list) return;
    const refresh = debounce(function () {
      const parts = input.value.split(",");
      const current = parts[parts.length - 1].trim();
      if (current.length < 2) return;
      const prefix = parts.slice(0, -1).map(function (p) { return p.trim(); }).filter(Boolean);
      fetch("/people-suggest?q=" + encodeURIComponent(current))
        .then(function (response) { return response.json(); })
        .then(function (names) {
          list.replaceChildren.apply(list, names.map(function (name) {
            const option = document.createElement("option");
            option.value = prefix.concat([name]).join(", ");
            return option;
          }));
        })
        .catch(function () {});
    }, 150);
    input.addEventListener("input", refresh);
  }

  // Session countdown: one slot after another, the current speaker highlighted.
  function sessionTimer(box) {
    const slots = Array.from(document.querySelectorAll(".slots li[data-minutes]"));
    if (!slots.length) return;
    const clock = box.querySelector("[data-timer-clock]");
    const label = box.querySelector("[data-timer-label]");
    const start = box.querySelector("[data-timer-start]");
    let index = 0, left = 0, endsAt = null, ticking = null;

    function show(seconds) {
      const sign = seconds < 0 ? "-" : "";
      const abs = Math.abs(Math.round(seconds));
      clock.textContent = sign + String(Math.floor(abs / 60)).padStart(2, "0") + ":" +
        String(abs % 60).padStart(2, "0");
      clock.classList.toggle("overtime", seconds < 0);
    }
    function select(i) {
      index = Math.min(i, slots.length - 1);
      slots.forEach(function (li, n) {
        li.classList.toggle("current", n === index);
        li.classList.toggle("done", n < index);
        if (n === index) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
      });
      label.textContent = slots[index].dataset.label;
      left = Number(slots[index].dataset.minutes) * 60;
      if (endsAt !== null) endsAt = Date.now() + left * 1000;
      show(left);
    }
    function tick() {
      const seconds = (endsAt - Date.now()) / 1000;
      if (seconds <= 0 && index < slots.length - 1) { select(index + 1); return; }
      show(seconds);  // the last slot runs into overtime rather than stopping silently
    }
    function pause() {
      left = (endsAt - Date.now()) / 1000;
      endsAt = null;
      clearInterval(ticking);
      start.textContent = "Resume";
    }
    start.addEventListener("click", function () {
      if (endsAt !== null) { pause(); return; }
      endsAt = Date.now() + left * 1000;
      ticking = setInterval(tick, 250);
      start.textContent = "Pause";
    });
    box.querySelector("[data-timer-next]").addEventListener("click", function () { select(index + 1); });
    box.querySelector("[data-timer-reset]").addEventListener("click", function () {
      if (endsAt !== null) pause();
      start.textContent = "Start";
      select(0);
    });
    box.hidden = false;
    select(0);
  }

  // Copy a block of text (the highlights email) to the clipboard.
  function copyButton(button) {
    const source = document.querySelector(button.dataset.copy);
    const status = button.parentElement.querySelector(".copy-status");
    button.addEventListener("click", function () {
      const text = source.textContent;
      const done = function () { if (status) status.textContent = "Copied."; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
      } else { fallback(text); done(); }
    });
  }
  function fallback(text) {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-live]").forEach(liveFilter);
    document.querySelectorAll("input[data-suggest]").forEach(suggest);
    document.querySelectorAll("[data-timer]").forEach(sessionTimer);
    document.querySelectorAll("button[data-copy]").forEach(copyButton);
  });
})();
