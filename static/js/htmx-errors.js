// A failed htmx request says so. htmx 2 swaps nothing on a 4xx/5xx answer and on a network failure,
// which would leave the old page looking as if the change had gone through. The texts are the
// (translated) data-error-* attributes of #htmx-errors in base.html; a newer error replaces the shown one.
// Nothing here is inline or fetched elsewhere, so a strict Content-Security-Policy allows it.
(function () {
  "use strict";

  function kindOf(status) {
    if (status === 403) return "forbidden";
    if (status === 409 || status === 412) return "conflict";
    if (status >= 500) return "server";
    return "other";
  }

  function show(kind, status) {
    var box = document.getElementById("htmx-errors");
    if (!box) return;
    var text = box.getAttribute("data-error-" + kind) || box.getAttribute("data-error-other");
    var alert = document.createElement("div");
    alert.className = "alert alert-danger alert-dismissible shadow mb-0";
    alert.setAttribute("role", "alert");
    alert.setAttribute("data-testid", "htmx-error");
    alert.setAttribute("data-kind", kind);
    if (status) alert.setAttribute("data-status", String(status));
    var message = document.createElement("span");
    message.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("aria-label", box.getAttribute("data-close-label") || "×");
    close.addEventListener("click", function () {
      alert.remove();
    });
    alert.appendChild(message);
    alert.appendChild(close);
    box.replaceChildren(alert);
  }

  // A session that ended sends an htmx request to the login page (a redirect the browser follows):
  // that page must not be swapped into a panel as if it were the answer.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var box = document.getElementById("htmx-errors");
    var login = box && box.getAttribute("data-login-url");
    var xhr = event.detail && event.detail.xhr;
    if (!login || !xhr || !xhr.responseURL) return;
    if (new URL(xhr.responseURL, window.location.href).pathname === login) {
      event.detail.shouldSwap = false;
      show("forbidden", xhr.status);
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail && event.detail.xhr ? event.detail.xhr.status : 0;
    show(kindOf(status), status);
  });
  document.addEventListener("htmx:sendError", function () {
    show("network", 0);
  });
  document.addEventListener("htmx:timeout", function () {
    show("network", 0);
  });
})();
