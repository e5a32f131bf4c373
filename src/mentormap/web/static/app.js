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

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-live]").forEach(liveFilter);
    document.querySelectorAll("input[data-suggest]").forEach(suggest);
  });
})();
