// The week grid: move between cells with the keyboard, and one day at a time on a phone.
// Without JavaScript the grid is one form saved whole; with htmx each cell saves as it is left.
(function () {
  "use strict";
  var PHONE = window.matchMedia("(max-width: 575.98px)");

  function grid() { return document.querySelector("[data-week-grid]"); }
  function inputOf(cell) { return cell ? cell.querySelector("input[data-week-input]") : null; }

  // The input in the same column of the next (or previous) row that has one.
  function vertical(input, step) {
    var cell = input.closest("td");
    var row = cell.closest("tr");
    var col = cell.dataset.col;
    for (row = step > 0 ? row.nextElementSibling : row.previousElementSibling; row;
         row = step > 0 ? row.nextElementSibling : row.previousElementSibling) {
      var found = inputOf(row.querySelector('td[data-col="' + col + '"]'));
      if (found) return found;
    }
    return null;
  }

  // The next (or previous) input of the row among the days shown.
  function horizontal(input, step) {
    var inputs = Array.prototype.filter.call(
      input.closest("tr").querySelectorAll("input[data-week-input]"),
      function (el) { return !el.closest("td").classList.contains("week-off-screen"); });
    return inputs[inputs.indexOf(input) + step] || null;
  }

  function go(target) {
    if (!target) return false;
    target.focus();
    target.select();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-week-input]")) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    var atEnd = input.selectionStart === input.value.length;
    var moved = false;
    if (event.key === "Enter") {
      // Enter saves the cell and goes down, as in a spreadsheet; in the last row it just saves.
      event.preventDefault();
      moved = go(vertical(input, event.shiftKey ? -1 : 1));
      if (!moved && input.value !== input.defaultValue) {
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
      return;
    }
    if (event.key === "ArrowDown") moved = go(vertical(input, 1));
    else if (event.key === "ArrowUp") moved = go(vertical(input, -1));
    else if (event.key === "ArrowRight" && atEnd) moved = go(horizontal(input, 1));
    else if (event.key === "ArrowLeft" && atStart) moved = go(horizontal(input, -1));
    if (moved) event.preventDefault();
  });

  // On a phone: one day at a time, with previous and next buttons.
  var current = null;

  function columns(form) {
    return Array.prototype.map.call(form.querySelectorAll("thead th[data-col]"), function (th) {
      return th.dataset.col;
    });
  }

  function show(form) {
    var cols = columns(form);
    if (!cols.length) return;
    var phone = PHONE.matches;
    form.classList.toggle("week-one-day", phone);
    if (current === null || cols.indexOf(current) === -1) {
      var today = form.querySelector("thead th[data-today]");
      current = today ? today.dataset.col : cols[0];
    }
    form.querySelectorAll("[data-col]").forEach(function (el) {
      el.classList.toggle("week-off-screen", phone && el.dataset.col !== current);
    });
    var label = form.querySelector("[data-week-day-label]");
    var th = form.querySelector('thead th[data-col="' + current + '"]');
    if (label && th) label.textContent = th.dataset.label || "";
    var index = cols.indexOf(current);
    form.querySelectorAll("[data-week-step]").forEach(function (button) {
      var to = index + parseInt(button.dataset.weekStep, 10);
      button.disabled = to < 0 || to >= cols.length;
    });
  }

  function step(form, by) {
    var cols = columns(form);
    var to = cols.indexOf(current) + by;
    if (to < 0 || to >= cols.length) return;
    current = cols[to];
    show(form);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-week-step]");
    if (!button) return;
    var form = button.closest("[data-week-grid]");
    if (form) step(form, parseInt(button.dataset.weekStep, 10));
  });

  // A swipe left or right changes the day too.
  var touchX = null;
  document.addEventListener("touchstart", function (event) {
    touchX = event.target.closest && event.target.closest("[data-week-grid] table") ? event.touches[0].clientX : null;
  }, { passive: true });
  document.addEventListener("touchend", function (event) {
    if (touchX === null || !PHONE.matches) return;
    var dx = event.changedTouches[0].clientX - touchX;
    touchX = null;
    var form = grid();
    if (form && Math.abs(dx) > 60) step(form, dx < 0 ? 1 : -1);
  }, { passive: true });

  function start() {
    var form = grid();
    if (!form) return;
    form.classList.add("week-js");
    show(form);
    PHONE.addEventListener("change", function () { show(form); });
    // A row just added from the search: typing goes on in its cell of the day.
    var added = form.querySelector("tr[data-new-row]");
    if (added) {
      var cell = inputOf(added.querySelector('td[data-col="' + current + '"]')) || inputOf(added);
      go(cell);
    }
  }
  document.addEventListener("DOMContentLoaded", start);
  // A cell that came back from the server is hidden like its column when the phone shows another day.
  document.addEventListener("htmx:afterSwap", function () {
    var form = grid();
    if (form) show(form);
  });
})();
