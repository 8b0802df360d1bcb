/* Dashboard charts (ECharts). Each chart is a <div data-chart="ID"> whose figures sit in a
 * <script type="application/json" id="ID"> written by Django's json_script; no inline scripts, so
 * the Content Security Policy can allow only our own static files. Numbers arrive as strings
 * (exact Decimals) and are turned into numbers here, for drawing only. */
(function () {
  "use strict";

  var ECHELON_COLOURS = { 1: "#2e7d32", 2: "#f9a825", 3: "#c62828" };
  var PALETTE = ["#0d3b66", "#3a7ca5", "#81c3d7", "#f4a259", "#bc4b51", "#5b8e7d", "#8e7dbe"];

  function toNumber(value) {
    return value === null || value === undefined ? null : Number(value);
  }

  function withUnit(unit) {
    return function (value) {
      return value === null || value === undefined ? "—" : value + (unit || "");
    };
  }

  function axisChart(spec, horizontal) {
    var categoryAxis = { type: "category", data: spec.categories, axisLabel: { interval: 0 } };
    var valueAxis = { type: "value", axisLabel: { formatter: "{value}" + (spec.unit || "") } };
    if (horizontal) {
      categoryAxis.inverse = true;
    } else if (spec.categories.length > 5) {
      categoryAxis.axisLabel.rotate = 30;
    }
    var series = spec.series.map(function (s, i) {
      var item = {
        name: s.name,
        type: spec.type === "line" ? "line" : "bar",
        data: s.data.map(toNumber),
        connectNulls: false,
        label: { show: spec.type !== "line", position: horizontal ? "right" : "top" },
      };
      if (spec.echelons && i === 0) {
        item.itemStyle = {
          color: function (p) { return ECHELON_COLOURS[spec.echelons[p.dataIndex]] || PALETTE[0]; },
        };
      }
      if (spec.markLine && i === 0) {
        item.markLine = {
          symbol: "none",
          data: [{ yAxis: toNumber(spec.markLine), name: spec.markLineName || "" }],
          label: { formatter: (spec.markLineName || "") + " {c}" + (spec.unit || "") },
        };
      }
      return item;
    });
    if (spec.units && !horizontal) {
      // Two measures (e.g. 项目数 and 亿元): one axis each, so neither dwarfs the other.
      valueAxis = spec.units.map(function (unit, i) {
        return { type: "value", name: unit, splitLine: { show: i === 0 } };
      });
      series.forEach(function (s, i) { s.yAxisIndex = Math.min(i, valueAxis.length - 1); });
    }
    return {
      color: PALETTE,
      tooltip: { trigger: "axis", valueFormatter: withUnit(spec.unit) },
      legend: { show: spec.series.length > 1, top: 0 },
      grid: { left: 8, right: 48, top: spec.series.length > 1 ? 32 : 16, bottom: 8, containLabel: true },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: series,
    };
  }

  function pieChart(spec) {
    return {
      color: PALETTE,
      tooltip: { trigger: "item", formatter: "{b}：{c}" + (spec.unit || "") + "（{d}%）" },
      legend: { bottom: 0 },
      series: [{
        type: "pie",
        radius: ["35%", "65%"],
        data: spec.data.map(function (d) { return { name: d.name, value: toNumber(d.value) }; }),
        label: { formatter: "{b}\n{c}" + (spec.unit || "") },
      }],
    };
  }

  function funnelChart(spec) {
    return {
      color: PALETTE,
      tooltip: { trigger: "item", formatter: "{b}：{c}" + (spec.unit || "") },
      series: [{
        type: "funnel",
        sort: "none",
        min: 0,
        max: Math.max.apply(null, spec.data.map(function (d) { return toNumber(d.value); }).concat([1])),
        minSize: "12%",
        gap: 2,
        left: "10%",
        width: "80%",
        data: spec.data.map(function (d) { return { name: d.name, value: toNumber(d.value) }; }),
        label: {
          position: "inside",
          formatter: function (p) {
            var rate = spec.rates && spec.rates[p.dataIndex];
            return p.name + " " + p.value + (rate ? "（转化 " + rate + "%）" : "");
          },
        },
      }],
    };
  }

  function optionFor(spec) {
    if (spec.type === "pie") return pieChart(spec);
    if (spec.type === "funnel") return funnelChart(spec);
    return axisChart(spec, spec.type === "hbar");
  }

  function draw() {
    if (typeof echarts === "undefined") return;
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) return;
      var spec = JSON.parse(source.textContent);
      if (spec.type === "hbar") {
        el.style.height = Math.max(200, 28 * spec.categories.length + 40) + "px";
      }
      var chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption(optionFor(spec));
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
