// The review queue's selection. Nothing is ticked when the page loads: "this day" and "this person"
// tick their entries (never a disabled one: an entry with an open evidence flag), the number of
// ticked entries shows next to the approve button, and the button stays disabled while it is 0.
// Without JavaScript the plain checkboxes still post and the server refuses an empty approval, so
// the group checkboxes and the count are hidden in the template and shown here.
// The listeners sit on the document: the htmx answers replace #queue-panel, form included.
(function () {
  "use strict";

  function selectable(scope) {
    return Array.prototype.slice.call(scope.querySelectorAll("input[name=entry]:not(:disabled)"));
  }

  function ofPerson(form, person) {
    return selectable(form).filter(function (box) {
      return box.getAttribute("data-person") === person;
    });
  }

  function checked(box) {
    return box.checked;
  }

  // A group box is ticked when all of its entries are, half-ticked when some are.
  function mirror(group, entries) {
    var ticked = entries.filter(checked).length;
    group.disabled = entries.length === 0;
    group.checked = entries.length > 0 && ticked === entries.length;
    group.indeterminate = ticked > 0 && ticked < entries.length;
  }

  function refresh() {
    var form = document.getElementById("approve-form");
    if (!form) return;
    form.querySelectorAll("[data-js-only]").forEach(function (element) {
      element.hidden = false;
    });
    var ticked = selectable(form).filter(checked).length;
    var count = form.querySelector("[data-selected-count]");
    if (count) count.textContent = count.getAttribute("data-text").replace("{count}", String(ticked));
    form.querySelectorAll("button[type=submit][data-testid=approve]").forEach(function (button) {
      button.disabled = ticked === 0;
    });
    form.querySelectorAll("[data-select-day]").forEach(function (box) {
      mirror(box, selectable(box.closest("fieldset")));
    });
    form.querySelectorAll("[data-select-person]").forEach(function (box) {
      mirror(box, ofPerson(form, box.getAttribute("data-select-person")));
    });
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    var form = box && box.closest ? box.closest("#approve-form") : null;
    if (!form) return;
    var group = null;
    if (box.hasAttribute("data-select-day")) group = selectable(box.closest("fieldset"));
    if (box.hasAttribute("data-select-person")) group = ofPerson(form, box.getAttribute("data-select-person"));
    if (group) {
      group.forEach(function (entry) {
        entry.checked = box.checked;
      });
    }
    refresh();
  });
  document.addEventListener("htmx:afterSettle", refresh);
  refresh();
})();
