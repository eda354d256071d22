// Live updates of a risk assessment: when either screen answers, both fetch the workspace
// again. The page works without this; it only saves reloading.
(() => {
  "use strict";
  let pending = false;

  function workspace() {
    return document.getElementById("workspace");
  }

  function typing(root) {
    // Never replace a field someone is typing in; refresh when they leave it.
    const active = document.activeElement;
    return active && root.contains(active) && (active.tagName === "TEXTAREA" ||
      (active.tagName === "INPUT" && active.type !== "radio" && active.type !== "checkbox"));
  }

  function refresh() {
    const root = workspace();
    if (!root || !window.htmx) return;
    if (typing(root)) {
      pending = true;
      return;
    }
    pending = false;
    window.htmx.ajax("GET", root.dataset.liveWorkspace, { target: "#workspace", swap: "outerHTML" });
  }

  function connect() {
    const root = workspace();
    if (!root || !window.EventSource || !root.dataset.liveStream) return;
    const status = document.querySelector("[data-live-status]");
    const source = new EventSource(root.dataset.liveStream);
    source.onopen = () => {
      if (status) status.textContent = "";
      document.body.dataset.live = "open";
    };
    source.onmessage = () => refresh();
    source.onerror = () => {
      document.body.dataset.live = "reconnecting";
    };
  }

  document.addEventListener("focusout", () => {
    if (pending) setTimeout(refresh, 0);
  });
  document.addEventListener("DOMContentLoaded", connect);
})();
