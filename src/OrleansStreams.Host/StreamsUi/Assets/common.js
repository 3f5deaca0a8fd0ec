// Shared by the streams pages: the API, DOM building (text only, never HTML from data) and number formats.
"use strict";
const OS = {
  base: document.body.dataset.base,

  async api(path) {
    const response = await fetch(`${OS.base}/api/${path}`, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) {
      throw new Error(`${response.status} ${response.statusText}`);
    }
    return response.json();
  },

  /** An element with attributes and children; strings become text nodes. */
  el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined) node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  },

  number(value, digits = 0) {
    return value === null || value === undefined ? "-" : Number(value).toLocaleString("en-US", { maximumFractionDigits: digits });
  },

  bytes(value) {
    if (value === null || value === undefined) return "-";
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let size = Number(value), unit = 0;
    while (size >= 1024 && unit < units.length - 1) { size /= 1024; unit++; }
    return `${size.toLocaleString("en-US", { maximumFractionDigits: 1 })} ${units[unit]}`;
  },

  time(text) {
    return text ? text.replace("T", " ").replace(/\.\d+Z$/, "Z") : "-";
  },

  queryUrl(name) {
    return `${OS.base}/${encodeURIComponent(name)}`;
  },

  /** Calls refresh now and every few seconds; the page says when it last succeeded or why it failed. */
  poll(refresh, intervalMs = 2000) {
    const updated = document.getElementById("updated");
    const tick = async () => {
      try {
        await refresh();
        updated.textContent = `updated ${new Date().toLocaleTimeString("en-GB")} · refreshes every ${intervalMs / 1000} s`;
        updated.classList.remove("error");
      } catch (e) {
        updated.textContent = `could not refresh: ${e.message}`;
        updated.classList.add("error");
      }
      setTimeout(tick, intervalMs);
    };
    tick();
  },
};
