/* catlic report: sortable and filterable tables, and the charts (uPlot). No network, no eval. */
(function () {
  "use strict";

  // --- tables: click a header to sort (again to reverse); type in a table's box to filter its rows. A long
  // table (one row per host or finding) shows its first PAGE rows that match; "Show all" shows the rest:
  // a browser lays out 500 rows at once, not 10,000, after each sort or filter.
  var PAGE = 500;

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

  function Table(table) {
    this.table = table;
    this.body = table.tBodies[0];
    this.total = this.body.rows.length;
    this.limit = table.classList.contains("long") ? PAGE : Infinity;
    this.words = [];
    this.texts = null; // each row's text, read on the first filter: a table is not read at load
    this.counter = document.getElementById(table.id + "-shown");
    this.more = document.getElementById(table.id + "-more");
    var self = this;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
      header.tabIndex = 0;
      header.title = "Sort by " + header.textContent.trim();
      header.addEventListener("click", function () { self.sortBy(header, column); });
      header.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); self.sortBy(header, column); }
      });
    });
    if (this.more) this.more.addEventListener("click", function () { self.limit = Infinity; self.refresh(); });
    this.refresh();
  }

  Table.prototype.sortBy = function (header, column) {
    var descending = header.getAttribute("aria-sort") === "ascending";
    var keyed = Array.prototype.map.call(this.body.rows, function (row, index) {
      return { row: row, key: cellKey(row.cells[column]), index: index };
    });
    keyed.sort(function (a, b) {
      var order = compareKeys(a.key, b.key);
      return (descending ? -order : order) || a.index - b.index;
    });
    // Rows move in a detached body: one style and layout pass for the table, not one per row moved.
    var placeholder = document.createElement("tbody");
    this.table.replaceChild(placeholder, this.body);
    var body = this.body;
    keyed.forEach(function (item) { body.appendChild(item.row); });
    this.table.replaceChild(body, placeholder);
    Array.prototype.forEach.call(this.table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
    this.refresh();
  };

  Table.prototype.filter = function (text) {
    if (this.texts === null) {
      this.texts = new Map();
      Array.prototype.forEach.call(this.body.rows, function (row) {
        this.texts.set(row, row.textContent.toLowerCase());
      }, this);
    }
    this.words = text.toLowerCase().split(/\s+/).filter(Boolean);
    this.refresh();
  };

  Table.prototype.refresh = function () {
    var words = this.words, texts = this.texts, limit = this.limit;
    var rows = this.body.rows, shown = 0, matching = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i], text = words.length ? texts.get(row) : "";
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      var show = match && shown < limit;
      matching += match ? 1 : 0;
      shown += show ? 1 : 0;
      if (row.hidden === show) row.hidden = !show;
    }
    if (this.counter) {
      this.counter.textContent = shown === this.total ? "" :
        shown + " of " + this.total + " shown" + (matching > shown ? " (" + matching + " match)" : "");
    }
    if (this.more) this.more.hidden = matching <= shown;
  };

  var tables = {};
  document.querySelectorAll("table.sortable").forEach(function (table) { tables[table.id] = new Table(table); });
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var table = tables[input.getAttribute("data-filter")];
    var pending = 0;
    input.addEventListener("input", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { table.filter(input.value); }, table.total > 2000 ? 150 : 0);
    });
  });

  // --- charts
  var source = document.getElementById("chart-data");
  if (!source || typeof uPlot === "undefined") return;
  var data = JSON.parse(source.textContent);
  var colours = { critical: "#8b0000", error: "#d1242f", warning: "#bf8700", info: "#0969da" };
  var charts = [];

  var DAY = 86400;

  // A time axis spanning the data (and ``also``, e.g. now) with a margin each side, from the data itself:
  // uPlot's own span for a single point of a seconds-based time scale is years wide.
  function timeRange(also) {
    return function (chart) {
      var xs = chart.data[0];
      var min = xs[0], max = xs[xs.length - 1];
      if (also !== undefined) { min = Math.min(min, also); max = Math.max(max, also); }
      var margin = Math.max(DAY, (max - min) * 0.03);
      return [min - margin, max + margin];
    };
  }
  var STILL = { drag: { x: false, y: false } }; // no drag-to-zoom: the axes always show the whole data
  function inUtc(seconds) { return uPlot.tzDate(new Date(seconds * 1e3), "Etc/UTC"); } // as the tables

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
      width: widthOf(element), height: 280, cursor: STILL, tzDate: inUtc,
      scales: { x: { time: true, range: timeRange() }, "%": { range: [0, 100] }, findings: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      axes: [{}, { scale: "%", label: "% of hosts compliant" },
             { scale: "findings", side: 1, label: "findings", grid: { show: false } }],
      series: series
    }, columns, element);
  }

  function deadlineChart(element, timeline) {
    return new uPlot({
      width: widthOf(element), height: 240, cursor: STILL, tzDate: inUtc,
      scales: { x: { time: true, range: timeRange(data.generated_at) }, hosts: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      axes: [{}, { scale: "hosts", label: "hosts" }],
      series: [{}, {
        label: "Next ACK deadlines", scale: "hosts", stroke: "#d1242f", fill: "rgba(209,36,47,0.35)",
        paths: uPlot.paths.bars({ size: [0.6, 12] }), points: { show: false }
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
