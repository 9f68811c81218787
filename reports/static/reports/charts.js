/* Every chart segment opens the list of records behind it: the figure carries the address in customdata. */
(function () {
  window.reportsChartLinks = function (plotId) {
    var plot = document.getElementById(plotId);
    if (!plot || !plot.on) { return; }
    plot.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var url = point && point.customdata;
      if (Array.isArray(url)) { url = url[0]; }
      if (url) { window.location.assign(url); }
    });
  };
})();
