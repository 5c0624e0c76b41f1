// The districts side by side, with the official standard as a line; the table beside it stays the record.
(function () {
  var holder = document.getElementById("district-chart");
  var data = document.getElementById("chart-data");
  if (!holder || !data || typeof echarts === "undefined") return;
  var chart = JSON.parse(data.textContent);
  var series = {type: "bar", data: chart.values, itemStyle: {color: "#8b1a1a"}, barMaxWidth: 28};
  if (chart.standard !== undefined) {
    series.markLine = {symbol: "none", data: [{yAxis: chart.standard}], lineStyle: {color: "#2e7d32", type: "dashed"},
                       label: {position: "insideEndTop", formatter: chart.label + " " + chart.standard + chart.unit}};
  }
  var instance = echarts.init(holder);
  instance.setOption({
    animation: false,
    grid: {left: 50, right: 16, top: 24, bottom: 48},
    tooltip: {trigger: "axis"},
    xAxis: {type: "category", data: chart.names, axisLabel: {interval: 0, rotate: 30, fontSize: 11}},
    /* shares and counts: bars from zero (a negative change still shows below it) */
    yAxis: {type: "value", name: chart.unit, min: function (range) { return Math.min(0, range.min); }},
    series: [series]
  });
  // drawn at its box's size then: follow the box (window resized, monitoring.css arriving late)
  if (window.ResizeObserver) new ResizeObserver(function () { instance.resize(); }).observe(holder);
})();
