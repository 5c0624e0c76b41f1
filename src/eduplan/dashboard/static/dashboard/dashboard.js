/* The dashboard's charts: Apache ECharts (served from this site) drawing the JSON the page embeds.
 * Every bar carries its number as a label and the worrying ones a stripe pattern, so nothing is
 * told by colour alone; the tables beside the charts hold the same figures and links. */
(function () {
  "use strict";

  /* ECharts puts a tooltip formatter's string into the page as HTML: names (units set by the admin) are
   * text, escaped here (audit L2). */
  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  var GREEN = "#2e9e44", BLUE = "#3b6fb6", AMBER = "#e0a000", RED = "#d9363e", GREY = "#9a9a9a", PURPLE = "#7a5cc2";
  var STRIPES = { symbol: "rect", symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [3, 4], rotation: -Math.PI / 4,
                  color: "rgba(255,255,255,0.55)" };
  var CROSS = { symbol: "rect", symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [2, 3], rotation: Math.PI / 4,
                color: "rgba(255,255,255,0.7)" };
  var DOTS = { symbol: "circle", symbolSize: 0.5, dashArrayX: [[4, 4]], dashArrayY: [4, 4], color: "rgba(255,255,255,0.8)" };
  var STYLE = {
    met: [GREEN], on_track: [BLUE], at_risk: [AMBER, STRIPES], missed: [RED, CROSS], no_data: [GREY, DOTS],
    active: [BLUE], reviewing: [PURPLE], closed: [GREEN], suspended: [GREY, DOTS],
    overdue: [RED, CROSS], missing: [AMBER, STRIPES]
  };
  var charts = [];

  function itemStyle(key) {
    var style = STYLE[key] || [BLUE];
    return style[1] ? { color: style[0], decal: style[1] } : { color: style[0] };
  }

  function goTo(params) {
    if (params.data && params.data.url) { window.location.href = params.data.url; }
  }

  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element) { return; }
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option);
    /* Paint now, not at the next animation frame: a chart answers clicks only once painted, and a busy
       machine may delay that frame past html[data-charts-drawn] and the first click. */
    chart.getZr().flush();
    chart.on("click", goTo);
    /* A chart keeps the size its box had when drawn: follow the box (window resized, page swapped in by htmx
       before its stylesheet arrived). */
    if (window.ResizeObserver) { new ResizeObserver(function () { chart.resize(); }).observe(element); }
    charts.push(chart);
    return chart;
  }

  function countBars(id, rows) {
    draw(id, {
      animation: false, aria: { enabled: true },
      grid: { left: 36, right: 12, top: 22, bottom: 24 },
      tooltip: { trigger: "item" },
      xAxis: { type: "category", data: rows.map(function (r) { return r.label; }), axisLabel: { interval: 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", barMaxWidth: 46, cursor: "pointer",
                 label: { show: true, position: "top", fontWeight: "bold" },
                 data: rows.map(function (r) { return { value: r.value, name: r.label, url: r.url, itemStyle: itemStyle(r.key) }; }) }]
    });
  }

  function rankingBars(id, rows, text) {
    var element = document.getElementById(id);
    if (!element || !rows.length) { return; }
    element.style.height = Math.max(120, rows.length * 24 + 30) + "px";
    var ordered = rows.slice().reverse();  /* the best at the top of a horizontal bar chart */
    draw(id, {
      animation: false, aria: { enabled: true },
      grid: { left: 8, right: 96, top: 6, bottom: 6, containLabel: true },
      tooltip: { trigger: "item", formatter: function (p) {
        return esc(p.name) + "：" + p.value + "%（" + esc(text.on_time) + " " + p.data.on_time + "/" + p.data.total + " " +
          esc(text.tasks) + "）";
      } },
      xAxis: { type: "value", max: 100, show: false },
      yAxis: { type: "category", data: ordered.map(function (r) { return r.label; }), axisLabel: { interval: 0 } },
      series: [{ type: "bar", barMaxWidth: 18, cursor: "pointer",
                 label: { show: true, position: "right", formatter: function (p) {
                   return p.value + "%（" + p.data.on_time + "/" + p.data.total + "）";
                 } },
                 data: ordered.map(function (r) {
                   var key = r.value >= 90 ? "met" : (r.value >= 60 ? "at_risk" : "missed");
                   return { value: r.value, on_time: r.on_time, total: r.total, url: r.url, itemStyle: itemStyle(key) };
                 }) }]
    });
  }

  function fmt(value) {
    if (value === null || value === undefined) { return "—"; }
    /* small shares keep two decimals: 1.04 % must not read as a standard of 1 % met */
    return Math.abs(value) < 10 ? String(Math.round(value * 100) / 100) : String(Math.round(value * 10) / 10);
  }

  function niceBound(value, direction) {
    /* a round axis end a little (5 %) beyond the value: to 5 for percentages, to 0.5 for small shares */
    var padded = value + direction * Math.max(0.5, Math.abs(value) * 0.05);
    var unit = Math.abs(value) >= 10 ? 5 : 0.5;
    var bound = (direction < 0 ? Math.floor(padded / unit) : Math.ceil(padded / unit)) * unit;
    return direction < 0 && value >= 0 ? Math.max(0, bound) : bound;
  }

  function districtOption(item, city, text) {
    var rows = item.districts.filter(function (d) { return d.value !== null; });
    rows.sort(function (a, b) { return b.value - a.value; });
    var many = rows.length > 30, lines = [];
    if (item.city !== null) {
      lines.push({ yAxis: item.city, name: text.city, lineStyle: { type: "dashed", color: "#333" },
                   label: { formatter: city + " " + fmt(item.city) + item.unit, position: "insideEndTop",
                             backgroundColor: "rgba(255,255,255,0.9)", padding: [1, 4] } });
    }
    if (item.threshold) {
      lines.push({ yAxis: item.threshold.value, lineStyle: { type: "solid", color: RED, width: 2 },
                   label: { formatter: text.standard + " " + item.threshold.text,
                            position: "insideStartTop", color: RED, backgroundColor: "rgba(255,255,255,0.9)",
                            padding: [1, 4] } });
    }
    var guides = lines.map(function (line) { return line.yAxis; });
    return {
      animation: false, aria: { enabled: true },
      grid: { left: 48, right: 16, top: 28, bottom: many ? 64 : 40 },
      tooltip: { trigger: "item", formatter: function (p) {
        var meets = p.data.meets === true ? text.meets : (p.data.meets === false ? text.below : "");
        return esc(p.name) + "：" + fmt(p.value) + esc(item.unit) + " " + esc(meets);
      } },
      dataZoom: many ? [{ type: "slider", start: 0, end: Math.min(100, 3000 / rows.length), height: 16, bottom: 6 }] : [],
      xAxis: { type: "category", data: rows.map(function (d) { return d.label; }),
               axisLabel: { interval: many ? "auto" : 0, rotate: rows.length > 12 ? 30 : 0 } },
      /* bars of shares and counts start at zero: an axis from 40 doubles the look of the gaps (issue 16);
         the city and standard lines stay in view whichever districts the zoom shows */
      yAxis: { type: "value", name: item.unit,
               min: function (range) {
                 var low = Math.min.apply(null, [range.min].concat(guides));
                 return low < 0 ? niceBound(low, -1) : 0;
               },
               max: function (range) { return niceBound(Math.max.apply(null, [range.max].concat(guides)), 1); } },
      series: [{ type: "bar", barMaxWidth: 36, cursor: "pointer",
                 label: { show: !many, position: "top", formatter: function (p) { return fmt(p.value); } },
                 markLine: { symbol: "none", silent: true, data: lines },
                 data: rows.map(function (d) {
                   var key = d.meets === false ? "missed" : (d.meets === true ? "met" : "on_track");
                   return { value: d.value, name: d.label, meets: d.meets, url: item.url, itemStyle: itemStyle(key) };
                 }) }]
    };
  }

  function districtCharts(data, text) {
    if (!data || !data.indicators.length) { return; }
    var chart = draw("chart-districts", districtOption(data.indicators[0], data.city, text));
    document.querySelectorAll("#districts .tabs button").forEach(function (button) {
      button.addEventListener("click", function () {
        document.querySelectorAll("#districts .tabs button").forEach(function (b) { b.removeAttribute("aria-selected"); });
        button.setAttribute("aria-selected", "true");
        chart.setOption(districtOption(data.indicators[Number(button.dataset.index)], data.city, text), true);
      });
    });
  }

  function render() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    countBars("chart-judgements", data.judgements);
    countBars("chart-statuses", data.statuses);
    rankingBars("chart-ranking", data.ranking, data.text);
    districtCharts(data.districts, data.text);
    document.documentElement.dataset.chartsDrawn = String(charts.length);
  }

  /* The charts take their size from dashboard.css, a stylesheet in the page's body: echarts, loaded after
     this script, can arrive before it, and a chart drawn then is as wide as the page and 0 px high (seen in the
     browser tests: clicks on its bars went nowhere). The load event waits for every stylesheet. */
  function renderWhenStyled() {
    if (document.readyState === "complete") {
      render();
    } else {
      window.addEventListener("load", render, { once: true });
    }
  }

  var self = document.currentScript || document.querySelector("script[data-echarts]");
  if (window.echarts) {
    renderWhenStyled();
  } else if (self && self.dataset.echarts) {
    var loader = document.createElement("script");
    loader.src = self.dataset.echarts;
    loader.onload = renderWhenStyled;  /* without the library the tables alone carry the figures */
    document.head.appendChild(loader);
  }
})();
