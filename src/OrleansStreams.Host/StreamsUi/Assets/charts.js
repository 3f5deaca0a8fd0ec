// Small SVG charts over a query's recent batches: lines with a dot per batch, and stacked bars per batch.
"use strict";
OS.charts = (() => {
  const SVG = "http://www.w3.org/2000/svg";
  const width = 440, height = 180, left = 56, right = 10, top = 10, bottom = 24;
  const colors = ["#0969da", "#1a7f37", "#bf3989", "#9a6700", "#8250df", "#cf222e", "#57606a"];

  function svg(tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function figure(title, id, legend) {
    const caption = OS.el("figcaption", null, title);
    const box = OS.el("figure", { id: `chart-${id}`, "data-chart": id }, caption);
    if (legend) {
      // Colours through the style property: the page's Content-Security-Policy refuses style attributes.
      box.append(OS.el("div", { class: "legend" }, ...legend.map((name, i) => {
        const swatch = OS.el("i");
        swatch.style.background = colors[i % colors.length];
        return OS.el("span", null, swatch, name);
      })));
    }
    return box;
  }

  /** The frame: axes, three horizontal grid lines labelled with format(value), first and last batch ids below. */
  function frame(chart, max, format, batches) {
    const plotHeight = height - top - bottom;
    for (const fraction of [0, 0.5, 1]) {
      const y = top + plotHeight * (1 - fraction);
      chart.append(svg("line", { class: "grid", x1: left, x2: width - right, y1: y, y2: y }));
      chart.append(svg("text", { x: left - 4, y: y + 3, "text-anchor": "end" }, format(max * fraction)));
    }
    chart.append(svg("line", { class: "axis", x1: left, x2: left, y1: top, y2: height - bottom }));
    chart.append(svg("line", { class: "axis", x1: left, x2: width - right, y1: height - bottom, y2: height - bottom }));
    if (batches.length) {
      chart.append(svg("text", { x: left, y: height - 8, "text-anchor": "start" }, `batch ${batches[0]}`));
      chart.append(svg("text", { x: width - right, y: height - 8, "text-anchor": "end" }, `batch ${batches[batches.length - 1]}`));
    }
  }

  function xOf(index, count) {
    const span = width - left - right;
    return count <= 1 ? left + span / 2 : left + (span * index) / (count - 1);
  }

  function empty(box, why) {
    box.append(OS.el("p", { class: "none" }, why));
    return box;
  }

  /**
   * Lines over the batches: series = [{ name, values }] with one value (or null) per batch.
   * Every batch with a value gets a dot (class "point") carrying its batch id and value.
   */
  function line({ id, title, batches, series, format = v => OS.number(v, 1), min = 0 }) {
    const box = figure(title, id, series.map(s => s.name));
    const values = series.flatMap(s => s.values).filter(v => v !== null && v !== undefined);
    if (!values.length) return empty(box, "not reported by this query's batches");
    const low = Math.min(min, ...values);
    const max = Math.max(...values.map(v => v - low), 1e-9);
    const chart = svg("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title });
    frame(chart, max, v => format(v + low), batches);
    const plotHeight = height - top - bottom;
    series.forEach((s, i) => {
      const color = colors[i % colors.length];
      const points = [];
      s.values.forEach((v, index) => {
        if (v === null || v === undefined) return;
        const x = xOf(index, batches.length), y = top + plotHeight * (1 - (v - low) / max);
        points.push(`${x.toFixed(1)},${y.toFixed(1)}`);
        const dot = svg("circle", { class: "point", cx: x.toFixed(1), cy: y.toFixed(1), r: 2.5, fill: color, "data-series": s.name, "data-batch": batches[index], "data-value": v });
        dot.append(svg("title", {}, `${s.name}, batch ${batches[index]}: ${format(v)}`));
        chart.append(dot);
      });
      if (points.length > 1) chart.insertBefore(svg("polyline", { points: points.join(" "), stroke: color, "data-series": s.name }), chart.querySelector("circle"));
    });
    box.append(chart);
    return box;
  }

  /** Stacked bars, one per batch: parts = [{ name, values }], each a share of the batch's bar (class "segment"). */
  function stacked({ id, title, batches, parts, format = v => `${OS.number(v)} ms` }) {
    const box = figure(title, id, parts.map(p => p.name));
    const totals = batches.map((_, index) => parts.reduce((sum, p) => sum + (p.values[index] || 0), 0));
    if (!totals.some(t => t > 0)) return empty(box, "no durations reported yet");
    const max = Math.max(...totals);
    const chart = svg("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title });
    frame(chart, max, format, batches);
    const plotHeight = height - top - bottom, span = width - left - right;
    const barWidth = Math.max(2, Math.min(24, (span / Math.max(batches.length, 1)) * 0.7));
    batches.forEach((batch, index) => {
      const x = batches.length <= 1 ? left + span / 2 : left + barWidth / 2 + ((span - barWidth) * index) / (batches.length - 1);
      let base = height - bottom;
      parts.forEach((p, i) => {
        const v = p.values[index] || 0;
        if (v <= 0) return;
        const h = (plotHeight * v) / max;
        base -= h;
        const rect = svg("rect", { class: "segment", x: (x - barWidth / 2).toFixed(1), y: base.toFixed(1), width: barWidth.toFixed(1), height: h.toFixed(1), fill: colors[i % colors.length], "data-series": p.name, "data-batch": batch, "data-value": v });
        rect.append(svg("title", {}, `${p.name}, batch ${batch}: ${format(v)}`));
        chart.append(rect);
      });
    });
    box.append(chart);
    return box;
  }

  return { line, stacked };
})();
