/* The 自主可控 shares chart (procurement/shares_block.html). The CSP forbids inline script: the
 * figures come from the JSON the block writes with json_script next to the chart; ECharts is
 * vendored. Without script the table beside it holds every figure. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  function num(s) { return s === null ? null : Number(s); }

  function draw(block) {
    var holder = block.querySelector(".shares-chart");
    var data = block.querySelector('script[type="application/json"]');
    if (!holder || !data || holder.dataset.drawn || typeof window.echarts === "undefined") return;
    var d = JSON.parse(data.textContent);
    var chart = window.echarts.init(holder, null, { renderer: "canvas" });
    chart.setOption({
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "axis",
        // the percentages the table shows (rounded down), not the raw ratios
        formatter: function (items) {
          var lines = [items.length ? items[0].name : ""];
          items.forEach(function (p) {
            var texts = p.seriesIndex === 0 ? d.amount_pct : d.count_pct;
            lines.push(p.marker + p.seriesName + "：" + texts[p.dataIndex]);
          });
          return lines.join("<br>");
        }
      },
      legend: { top: 0 },
      xAxis: { type: "category", data: d.labels, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", min: 0, max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + "%"; } } },
      series: [
        { name: d.series[0], type: "bar", data: d.amount.map(num) },
        { name: d.series[1], type: "bar", data: d.count.map(num) }
      ]
    });
    holder.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll() { document.querySelectorAll(".procurement-shares").forEach(draw); }

  ready(drawAll);
  document.addEventListener("htmx:afterSettle", drawAll);
  window.addEventListener("load", drawAll);
})();
