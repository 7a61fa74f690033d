/* catlic report: sortable and filterable tables, and the charts (uPlot). No network, no eval. */
(function () {
  "use strict";

  // --- tables: click a header to sort (again to reverse); type in a table's box to filter its rows.
  function cellKey(cell) {
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    var number = raw === "" ? NaN : Number(raw);
    return isNaN(number) ? { text: raw.toLowerCase() } : { number: number };
  }

  function compareKeys(a, b) {
    if (a.number !== undefined && b.number !== undefined) return a.number - b.number;
    if (a.number !== undefined) return -1; // numbers before text (and before blanks)
    if (b.number !== undefined) return 1;
    return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  }

  function sortBy(table, header, column) {
    var body = table.tBodies[0];
    var descending = header.getAttribute("aria-sort") === "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (row, index) {
      return { row: row, key: cellKey(row.cells[column]), index: index };
    });
    keyed.sort(function (a, b) {
      var order = compareKeys(a.key, b.key);
      return (descending ? -order : order) || a.index - b.index;
    });
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (item) { fragment.appendChild(item.row); });
    body.appendChild(fragment);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  function makeSortable(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
      header.tabIndex = 0;
      header.title = "Sort by " + header.textContent.trim();
      header.addEventListener("click", function () { sortBy(table, header, column); });
      header.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(table, header, column); }
      });
    });
  }

  function makeFilter(input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    var counter = document.getElementById(input.getAttribute("data-filter") + "-shown");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = null; // read once, on first use: a table of 10,000 rows is not read at load
    var pending = 0;
    function apply() {
      if (texts === null) texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, index) {
        var keep = words.every(function (word) { return texts[index].indexOf(word) !== -1; });
        row.hidden = !keep;
        shown += keep ? 1 : 0;
      });
      if (counter) counter.textContent = words.length ? shown + " of " + rows.length + " shown" : "";
    }
    input.addEventListener("input", function () {
      clearTimeout(pending);
      pending = setTimeout(apply, rows.length > 2000 ? 150 : 0);
    });
  }

  document.querySelectorAll("table.sortable").forEach(makeSortable);
  document.querySelectorAll("input[data-filter]").forEach(makeFilter);

  // --- charts
  var source = document.getElementById("chart-data");
  if (!source || typeof uPlot === "undefined") return;
  var data = JSON.parse(source.textContent);
  var colours = { critical: "#8b0000", error: "#d1242f", warning: "#bf8700", info: "#0969da" };
  var charts = [];

  var DAY = 86400;

  // A time axis spanning the data (and ``also``, e.g. now) with a day to spare each side: a single run
  // or deadline is drawn in the middle of a readable span, not at an edge of an arbitrary one.
  function timeRange(also) {
    return function (chart, min, max) {
      if (also !== undefined) { min = Math.min(min, also); max = Math.max(max, also); }
      return [min - DAY, max + DAY];
    };
  }

  function widthOf(element) { return Math.max(320, Math.min(element.clientWidth || 900, 1100)); }

  function nowLine(moment) {
    return function (chart) {
      var x = Math.round(chart.valToPos(moment, "x", true));
      if (x < chart.bbox.left || x > chart.bbox.left + chart.bbox.width) return;
      var context = chart.ctx;
      context.save();
      context.strokeStyle = "#57606a";
      context.setLineDash([4, 4]);
      context.beginPath();
      context.moveTo(x, chart.bbox.top);
      context.lineTo(x, chart.bbox.top + chart.bbox.height);
      context.stroke();
      context.restore();
    };
  }

  function trendChart(element, trend) {
    var series = [{}, {
      label: "compliant (%)", scale: "%", stroke: "#1a7f37", width: 2,
      points: { show: true, size: 7, fill: "#1a7f37" }
    }];
    var columns = [trend.t, trend.compliance];
    data.severities.forEach(function (severity) {
      series.push({
        label: severity + " findings", scale: "findings", stroke: colours[severity], width: 1.5,
        points: { show: true, size: 5, fill: colours[severity] }
      });
      columns.push(trend[severity]);
    });
    return new uPlot({
      width: widthOf(element), height: 280,
      scales: { x: { time: true, range: timeRange() }, "%": { range: [0, 100] }, findings: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      axes: [{}, { scale: "%", label: "% of hosts compliant" },
             { scale: "findings", side: 1, label: "findings", grid: { show: false } }],
      series: series
    }, columns, element);
  }

  function deadlineChart(element, timeline) {
    return new uPlot({
      width: widthOf(element), height: 240,
      scales: { x: { time: true, range: timeRange(data.generated_at) }, hosts: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      axes: [{}, { scale: "hosts", label: "hosts" }],
      series: [{}, {
        label: "Next ACK deadlines", scale: "hosts", stroke: "#d1242f", fill: "rgba(209,36,47,0.35)",
        paths: uPlot.paths.bars({ size: [0.6, 24] }), points: { show: false }
      }, {
        label: "next report pushes", scale: "hosts", stroke: "#0969da", width: 0,
        paths: function () { return null; }, points: { show: true, size: 8, fill: "#0969da" }
      }],
      hooks: { draw: [nowLine(data.generated_at)] }
    }, [timeline.t, timeline.deadlines, timeline.pushes], element);
  }

  var trendElement = document.getElementById("trend-chart");
  if (trendElement && data.trend.t.length) charts.push(trendChart(trendElement, data.trend));
  var deadlineElement = document.getElementById("deadline-chart");
  if (deadlineElement && data.timeline.t.length) charts.push(deadlineChart(deadlineElement, data.timeline));

  // Paper is narrower than a screen: charts fit the page while printing, and come back after.
  window.addEventListener("beforeprint", function () {
    charts.forEach(function (chart) { chart.setSize({ width: 680, height: chart.height }); });
  });
  window.addEventListener("afterprint", function () {
    charts.forEach(function (chart) { chart.setSize({ width: widthOf(chart.root.parentNode), height: chart.height }); });
  });
  window.catlicCharts = charts; // for tests and the curious: the uPlot instances drawn
  if (window.performance && performance.mark) performance.mark("catlic-charts-drawn");
})();
