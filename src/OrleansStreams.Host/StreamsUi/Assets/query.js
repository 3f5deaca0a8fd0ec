// /streams/{name}: one query's summary, charts over its recent batches, progress table, sources, sink, plan and failure.
"use strict";
(() => {
  const name = decodeURIComponent(location.pathname.slice(OS.base.length + 1));
  const phaseOrder = ["latestOffset", "getBatch", "walCommit", "queryPlanning", "addBatch", "commitOffsets"];
  document.getElementById("name").textContent = name;
  document.title = `${name} · Streaming query · OrleansStreams`;

  const sum = (items, pick) => {
    let total = null;
    for (const item of items || []) {
      const v = pick(item);
      if (typeof v === "number") total = (total ?? 0) + v;
    }
    return total;
  };
  const backlogFiles = p => sum(p.sources, s => s.metrics?.numFilesOutstanding);
  const backlogBytes = p => sum(p.sources, s => s.metrics?.numBytesOutstanding);
  const stateRows = p => sum(p.stateOperators, s => s.numRowsTotal);
  const stateBytes = p => sum(p.stateOperators, s => s.memoryUsedBytes);
  const watermark = p => (p.eventTime?.watermark ? Date.parse(p.eventTime.watermark) : null);

  function summary(query) {
    const rows = [
      ["State", query.state === "running" && query.waitingForData ? "running (waiting for data)" : query.state],
      ["Id", query.id], ["Run id", query.runId], ["Silo", query.silo ?? "-"], ["Trigger", query.trigger ?? "-"],
      ["Output mode", query.outputMode ?? "-"], ["Sink", query.sink], ["Partitioned by", (query.partitionBy || []).join(", ") || "-"],
      ["Checkpoint", query.checkpointLocation], ["Started", OS.time(query.startedAt)], ["Stopped", OS.time(query.stoppedAt)],
      ["Last batch", query.lastBatchId ?? "-"], ["Last batch time", OS.time(query.lastBatchTime)],
      ["Input rows/s", OS.number(query.inputRowsPerSecond, 1)], ["Processed rows/s", OS.number(query.processedRowsPerSecond, 1)],
      ["Backlog", [query.backlogFiles != null ? `${OS.number(query.backlogFiles)} files` : null, query.backlogBytes != null ? OS.bytes(query.backlogBytes) : null].filter(Boolean).join(", ") || "-"],
    ];
    document.getElementById("summary").replaceChildren(...rows.flatMap(([k, v]) => [OS.el("dt", null, k), OS.el("dd", { "data-field": k }, v)]));
  }

  function failure(query) {
    const section = document.getElementById("failure");
    section.hidden = !query.failure;
    if (query.failure) {
      document.getElementById("failure-message").textContent = query.failure.message;
      document.getElementById("failure-stack").textContent = query.failure.stackTrace ?? "(no stack trace was recorded for this failure)";
    }
  }

  function charts(progress) {
    const batches = progress.map(p => p.batchId);
    const phases = [...new Set(progress.flatMap(p => Object.keys(p.durationMs || {})))].filter(k => k !== "triggerExecution")
      .sort((a, b) => (phaseOrder.indexOf(a) + 1 || 99) - (phaseOrder.indexOf(b) + 1 || 99));
    const other = progress.map(p => Math.max(0, (p.durationMs?.triggerExecution ?? 0) - phases.reduce((s, k) => s + (p.durationMs?.[k] ?? 0), 0)));
    const parts = phases.map(k => ({ name: k, values: progress.map(p => p.durationMs?.[k] ?? 0) }));
    if (other.some(v => v > 0)) parts.push({ name: "other", values: other });
    const time = v => new Date(v).toISOString().slice(11, 19);
    document.getElementById("charts").replaceChildren(
      OS.charts.line({ id: "rates", title: "Input vs processed rows/s", batches, series: [
        { name: "input rows/s", values: progress.map(p => p.inputRowsPerSecond) },
        { name: "processed rows/s", values: progress.map(p => p.processedRowsPerSecond) }] }),
      OS.charts.stacked({ id: "durations", title: "Batch duration by phase (durationMs)", batches, parts }),
      OS.charts.line({ id: "backlog-files", title: "Backlog (files outstanding)", batches, series: [{ name: "files", values: progress.map(backlogFiles) }], format: v => OS.number(v) }),
      OS.charts.line({ id: "backlog-bytes", title: "Backlog (bytes outstanding)", batches, series: [{ name: "bytes", values: progress.map(backlogBytes) }], format: OS.bytes }),
      OS.charts.line({ id: "state-rows", title: "State rows", batches, series: [{ name: "rows", values: progress.map(stateRows) }], format: v => OS.number(v) }),
      OS.charts.line({ id: "state-bytes", title: "State memory", batches, series: [{ name: "bytes", values: progress.map(stateBytes) }], format: OS.bytes }),
      OS.charts.line({ id: "watermark", title: "Event-time watermark", batches, series: [{ name: "watermark", values: progress.map(watermark) }], format: time, min: Infinity }));
  }

  function progressTable(progress) {
    document.querySelector("#progress tbody").replaceChildren(...[...progress].reverse().map(p => OS.el("tr", { "data-batch": p.batchId },
      OS.el("td", { class: "num" }, p.batchId), OS.el("td", null, OS.time(p.timestamp)),
      OS.el("td", { class: "num" }, OS.number(p.numInputRows)), OS.el("td", { class: "num" }, OS.number(p.inputRowsPerSecond, 1)),
      OS.el("td", { class: "num" }, OS.number(p.processedRowsPerSecond, 1)), OS.el("td", { class: "num" }, `${OS.number(p.durationMs?.triggerExecution)} ms`),
      OS.el("td", { class: "num" }, OS.number(backlogFiles(p))), OS.el("td", { class: "num" }, OS.number(stateRows(p))),
      OS.el("td", null, OS.time(p.eventTime?.watermark)))));
  }

  function sources(query, progress) {
    const last = progress[progress.length - 1];
    const metrics = m => (m ? Object.entries(m).map(([k, v]) => `${k}=${v}`).join(", ") : "");
    document.querySelector("#sources tbody").replaceChildren(...(last?.sources || []).map(s => OS.el("tr", null,
      OS.el("td", null, s.description), OS.el("td", null, s.startOffset ?? "-"), OS.el("td", null, s.endOffset ?? "-"),
      OS.el("td", { class: "num" }, OS.number(s.numInputRows)), OS.el("td", null, metrics(s.metrics)))));
    document.getElementById("sink").textContent = last?.sink?.description ?? query.sink;
    document.getElementById("plan").textContent = query.plan ? JSON.stringify(query.plan, null, 2) : "-";
  }

  OS.poll(async () => {
    const query = await OS.api(`queries/${encodeURIComponent(name)}`);
    const progress = query.recentProgress || [];
    summary(query);
    failure(query);
    charts(progress);
    progressTable(progress);
    sources(query, progress);
  });
})();
