// Small enhancements only: every page works without this file.
function focusFirstMessage() {
  // Move focus to a form's error summary so keyboard and screen-reader users hear it first;
  // otherwise to the feedback just given (a vignette step, a scored practice instrument).
  const target = document.querySelector("[data-error-summary]") || document.querySelector("[data-autofocus]");
  const idle = !document.activeElement || document.activeElement === document.body;
  if (target && idle) target.focus();
}
document.addEventListener("DOMContentLoaded", focusFirstMessage);
// A URL fragment scrolls the page after it has loaded, which can take focus away again.
window.addEventListener("load", () => window.setTimeout(focusFirstMessage, 0));
