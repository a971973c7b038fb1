/* Draws every [data-chart] element from the Plotly figure kept in the <script type="application/json"> it names
   (attain.site.charts). Without JavaScript the caption and the table of numbers stay. */
(function () {
  "use strict";
  var DEFAULT = {displaylogo: false, responsive: true};
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      if (element.classList.contains("drawn")) { return; }  // drawn before a later htmx swap
      var source = document.getElementById(element.getAttribute("data-chart"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      var config = element.hasAttribute("data-chart-config") ? JSON.parse(element.getAttribute("data-chart-config")) : DEFAULT;
      window.Plotly.newPlot(element, figure.data, figure.layout, config).then(function () {
        element.querySelectorAll("svg").forEach(function (svg) { svg.setAttribute("aria-hidden", "true"); });
        element.classList.add("drawn");
      });
    });
  }
  document.addEventListener("htmx:afterSettle", draw);  // a chart put in the page by htmx (the rep's trend)
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
