// Enhances the feedback-loop figure: moving the slider redraws the chart from the server.
// Without this script the same form works by submitting "Redraw".
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-feedback-loop]").forEach((figure) => {
    const url = figure.dataset.figureUrl;
    const slider = figure.querySelector('input[type="range"]');
    const output = figure.querySelector("output");
    if (!url || !slider) return;
    // A value restored by the browser (back button, form restore) shows in the output too.
    if (output) output.textContent = slider.value;
    let timer = null;
    let latest = 0;
    slider.addEventListener("input", () => {
      if (output) output.textContent = slider.value;
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const ticket = ++latest;
        const response = await fetch(`${url}?gain=${encodeURIComponent(slider.value)}`, {
          headers: { "X-Requested-With": "fetch" },
        });
        if (!response.ok || ticket !== latest) return;
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = doc.querySelector(".feedback-loop__chart");
        const chart = figure.querySelector(".feedback-loop__chart");
        if (fresh && chart) chart.replaceWith(fresh);
      }, 120);
    });
    figure.dataset.enhanced = "";
  });
});
