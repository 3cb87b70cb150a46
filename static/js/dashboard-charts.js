// Draws the dashboard and public-statistics charts from the JSON block the page carries
// (json_script, no inline script: the CSP allows scripts from 'self' only). Every chart has a
// table with the same figures next to it, so nothing is lost without JavaScript.
(function () {
  "use strict";
  var COLOURS = ["#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#dc3545", "#20c997"];

  function draw() {
    var source = document.getElementById("dashboard-chart-data");
    if (!source || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var canvases = document.querySelectorAll("canvas[data-chart]");
    Array.prototype.forEach.call(canvases, function (canvas) {
      var spec = data[canvas.getAttribute("data-chart")];
      if (!spec) { return; }
      var trend = canvas.getAttribute("data-chart") === "trend";
      var horizontal = spec.labels.length > 8 && !trend;
      new window.Chart(canvas, {
        type: trend ? "line" : "bar",
        data: {
          labels: spec.labels,
          datasets: spec.series.map(function (series, index) {
            return {
              label: series.label,
              data: series.data,
              backgroundColor: COLOURS[index % COLOURS.length],
              borderColor: COLOURS[index % COLOURS.length],
              pointRadius: trend ? 1 : 0,
              tension: 0.2
            };
          })
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          indexAxis: horizontal ? "y" : "x",
          plugins: { legend: { display: spec.series.length > 1 } },
          scales: { x: { beginAtZero: true }, y: { beginAtZero: true } }
        }
      });
      canvas.setAttribute("data-drawn", "1");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
