// Small behaviours the templates ask for with data- attributes, instead of inline handlers (the
// Content-Security-Policy runs no onclick=/onchange=). The listeners sit on the document, so content
// that htmx swaps in behaves the same.
//   <select data-submit-on-change>: choosing an option sends its form (a year picker); without
//     JavaScript the form's <noscript> button does.
//   <a data-submit-form href="...">: a click sends the form the link is in (through htmx when the form
//     has hx-post, so hx-confirm asks first); without JavaScript the link opens its page.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change") && field.form) {
    field.form.submit();
  }
});

document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[data-submit-form]") : null;
  const form = link ? link.closest("form") : null;
  if (form) {
    event.preventDefault();
    form.requestSubmit();
  }
});
