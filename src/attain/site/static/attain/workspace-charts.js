/* Draws the charts that htmx puts into a page after it loaded (the what-if results), as charts.js does on load. */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!window.Plotly) { return; }
    event.target.querySelectorAll("[data-chart]:not(.drawn)").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-chart"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      var config = JSON.parse(element.getAttribute("data-chart-config") || "{}");
      window.Plotly.newPlot(element, figure.data, figure.layout, config).then(function () {
        element.querySelectorAll("svg").forEach(function (svg) { svg.setAttribute("aria-hidden", "true"); });
        element.classList.add("drawn");
      });
    });
  });
})();
