// /streams: every query of the cluster, one row each, refreshed while the page is open.
"use strict";
(() => {
  const body = document.querySelector("#queries tbody");
  const empty = document.getElementById("empty");

  function backlog(query) {
    const parts = [];
    if (query.backlogFiles !== null && query.backlogFiles !== undefined) parts.push(`${OS.number(query.backlogFiles)} files`);
    if (query.backlogBytes !== null && query.backlogBytes !== undefined) parts.push(OS.bytes(query.backlogBytes));
    return parts.length ? parts.join(", ") : "-";
  }

  function row(query) {
    const state = query.state === "running" && query.waitingForData ? "running (waiting for data)" : query.state;
    return OS.el("tr", { "data-query": query.name },
      OS.el("td", null, OS.el("a", { href: OS.queryUrl(query.name) }, query.name)),
      OS.el("td", { class: `state state-${query.state}` }, state),
      OS.el("td", null, query.silo ?? "-"),
      OS.el("td", null, query.trigger ?? "-"),
      OS.el("td", { class: "num" }, query.lastBatchId ?? "-"),
      OS.el("td", null, OS.time(query.lastBatchTime)),
      OS.el("td", { class: "num" }, OS.number(query.inputRowsPerSecond, 1)),
      OS.el("td", { class: "num" }, OS.number(query.processedRowsPerSecond, 1)),
      OS.el("td", { class: "num" }, backlog(query)),
      OS.el("td", { class: "error", title: query.error ?? "" }, query.error ? query.error.split("\n")[0] : ""));
  }

  OS.poll(async () => {
    const { queries } = await OS.api("queries");
    body.replaceChildren(...queries.map(row));
    empty.hidden = queries.length > 0;
  });
})();
