// Searchable task picker: a filter box above every <select data-filterable>.
// Without JavaScript the select still works (and browsers jump to options as you type).
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function enhance(select) {
    if (select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control mb-1";
    box.placeholder = select.dataset.filterPlaceholder || "";
    box.setAttribute("aria-label", select.dataset.filterPlaceholder || "");
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var words = fold(box.value).split(/\s+/).filter(Boolean);
      var first = null;
      select.querySelectorAll("option").forEach(function (option) {
        if (!option.value) return;
        var text = fold(option.textContent);
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        option.hidden = !match;
        if (match && !first) first = option;
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      if (first && words.length) select.value = first.value;
    });
  }
  function scan(root) { root.querySelectorAll("select[data-filterable]").forEach(enhance); }
  // The task search of the "Add an entry" form: where the next entry starts.
  function focusAddSearch() {
    var box = document.querySelector("#add-entry input[type=search]") ||
      document.querySelector("#add-entry select[data-filterable]");
    if (box) { box.focus(); return true; }
    return false;
  }
  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:afterSwap", function (event) {
    scan(event.target);
    // After an entry is added, the next one starts at the task search (not where the last one ended);
    // after a refusal the focus stays for the correction.
    var form = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    var added = form && form.closest && form.closest("#add-entry");
    var refused = document.querySelector("#add-entry .is-invalid, #add-entry .invalid-feedback, #add-entry .alert-danger");
    if (added && !refused) focusAddSearch();
  });
  // "/" anywhere but in a field: jump to the task search to add an entry.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (focusAddSearch()) event.preventDefault();
  });
})();
