/* The cockpit's charts (portfolio/cockpit.html). The CSP forbids inline script: the figures come
 * from the JSON the page writes with json_script (#cockpit-data), ECharts is vendored. Each chart
 * replaces its table once drawn; its "view as table" button switches between the two, and every
 * bar or slice opens the project list filtered to exactly the projects behind it. Without script
 * (or without ECharts) the tables stay: every figure is still there, and still a link. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  var COLORS = { red: "#c0392b", amber: "#d68910", green: "#1e8449" };

  function options(name, data) {
    if (name === "stages") {
      return {
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        tooltip: {},
        xAxis: { type: "category", data: data.map(function (d) { return d.label; }), axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: data.map(function (d) { return { value: d.value, url: d.url }; }) }]
      };
    }
    if (name === "clauses") {
      return {
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        tooltip: {},
        xAxis: { type: "category", data: data.map(function (d) { return d.label; }), axisLabel: { interval: 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", itemStyle: { color: "#c0392b" }, data: data.map(function (d) { return { value: d.value, url: d.url }; }) }]
      };
    }
    if (name === "health") {
      return {
        tooltip: { trigger: "item" },
        legend: { bottom: 0 },
        series: [{
          type: "pie", radius: ["45%", "70%"],
          data: data.map(function (d) {
            return { name: d.label, value: d.value, url: d.url, itemStyle: { color: COLORS[d.key] } };
          })
        }]
      };
    }
    if (name === "investment") {
      return {
        grid: { left: 8, right: 16, top: 40, bottom: 32, containLabel: true },
        tooltip: {
          trigger: "axis",
          formatter: function (params) {
            return params.map(function (p) {
              return p.seriesName + "：" + p.value + " " + data.unit + "（" + p.data.yuan + "）";
            }).join("<br>");
          }
        },
        legend: { bottom: 0 },
        xAxis: { type: "category", data: data.rows.map(function (r) { return r.label; }), axisLabel: { interval: 0, rotate: 20 } },
        yAxis: { type: "value", name: data.unit, nameTextStyle: { align: "left" } },
        series: data.series.map(function (s, i) {
          return {
            name: s, type: "bar",
            data: data.rows.map(function (r) { return { value: r.values[i], yuan: r.yuan[i], url: r.url }; })
          };
        })
      };
    }
    return null;
  }

  function show(name, asTable) {
    var canvas = document.querySelector('[data-chart="' + name + '"]');
    var table = document.querySelector('[data-chart-table="' + name + '"]');
    var button = document.querySelector('[data-chart-toggle="' + name + '"]');
    if (!canvas || !table) return;
    canvas.hidden = asTable;
    table.hidden = !asTable;
    if (button) button.setAttribute("aria-pressed", asTable ? "true" : "false");
  }

  ready(function () {
    var source = document.getElementById("cockpit-data");
    if (!source || typeof window.echarts === "undefined") return;
    var charts = JSON.parse(source.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (canvas) {
      var name = canvas.getAttribute("data-chart");
      var option = options(name, charts[name]);
      if (!option) return;
      show(name, false);
      var chart = window.echarts.init(canvas, null, { renderer: "canvas" });
      chart.setOption(option);
      chart.on("click", function (params) {
        if (params.data && params.data.url) window.location.assign(params.data.url);
      });
      window.addEventListener("resize", function () { chart.resize(); });
      var button = document.querySelector('[data-chart-toggle="' + name + '"]');
      if (button) button.hidden = false;
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-chart-toggle]") : null;
    if (!button) return;
    var name = button.getAttribute("data-chart-toggle");
    var table = document.querySelector('[data-chart-table="' + name + '"]');
    show(name, table ? table.hidden : true);
    window.dispatchEvent(new Event("resize"));
  });
})();
