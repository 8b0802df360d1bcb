/* Monthly fixed-asset investment curve on the project page (data from json_script #fai-data). */
(function () {
  "use strict";
  var el = document.getElementById("fai-chart");
  var source = document.getElementById("fai-data");
  if (!el || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: {trigger: "axis"},
    legend: {data: ["当月完成", "累计完成"]},
    grid: {left: 60, right: 60, top: 30, bottom: 30},
    xAxis: {type: "category", data: data.months},
    yAxis: [{type: "value", name: "万元"}, {type: "value", name: "累计（万元）"}],
    series: [
      {name: "当月完成", type: "bar", data: data.amounts.map(Number)},
      {name: "累计完成", type: "line", yAxisIndex: 1, data: data.cumulative.map(Number)}
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
