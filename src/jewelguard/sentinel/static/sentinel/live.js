// Live events and camera status, kept current from the sentinel topics of the member's stores.
// The stream starts after the newest event the page was rendered with, and EventSource sends
// Last-Event-ID when it reconnects, so nothing published in between is lost.
(function () {
  "use strict";

  function cell(row, field) {
    return row.querySelector(`[data-field="${field}"]`);
  }

  function eventRow(body, payload) {
    let row = body.querySelector(`tr[data-event="${payload.event}"]`);
    if (!row) {
      const empty = body.querySelector("tr.empty");
      if (empty) empty.remove();
      row = document.createElement("tr");
      row.dataset.event = String(payload.event);
      const started = document.createElement("td");
      const time = document.createElement("time");
      time.dateTime = payload.started_at;
      time.textContent = new Date(payload.started_at).toLocaleString();
      started.append(time);
      const where = document.createElement("td");
      where.textContent = payload.camera_name;
      row.append(started, where);
      for (const field of ["summary", "people", "state", "snapshot"]) {
        const td = document.createElement("td");
        td.dataset.field = field;
        row.append(td);
      }
      row.append(document.createElement("td"));
      body.prepend(row);
    }
    cell(row, "summary").textContent = payload.zone ? `${payload.summary} (${payload.zone})` : payload.summary;
    cell(row, "people").textContent = String(payload.people);
    cell(row, "state").textContent = payload.state_label;
    if (payload.state !== "suspected") {
      for (const form of row.querySelectorAll("form")) form.remove();
    }
    const holder = document.getElementById("sentinel-stream");
    if (payload.snapshot && holder.dataset.snapshotUrl) {
      const snapshot = cell(row, "snapshot");
      let img = snapshot.querySelector("img");
      if (!img) {
        img = document.createElement("img");
        img.width = 160;
        img.alt = "";
        snapshot.append(img);
      }
      img.src = holder.dataset.snapshotUrl.replace(/0\.jpg$/, `${payload.snapshot}.jpg`);
    }
  }

  function cameraRow(payload) {
    const row = document.querySelector(`tr[data-camera="${payload.camera}"]`);
    if (!row) return;
    cell(row, "state").textContent = payload.state_label;
    const last = cell(row, "last_frame_at");
    if (payload.last_frame_at) {
      const time = document.createElement("time");
      time.dateTime = payload.last_frame_at;
      time.textContent = new Date(payload.last_frame_at).toLocaleString();
      last.replaceChildren(time);
    }
    cell(row, "corrupt_frames").textContent = String(payload.corrupt_frames);
    cell(row, "reconnects").textContent = String(payload.reconnects);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const holder = document.getElementById("sentinel-stream");
    const topics = JSON.parse(holder.dataset.topics || "[]");
    if (!topics.length || !window.EventSource) return;
    const after = JSON.parse(document.getElementById("sentinel-stream-after").textContent);
    const status = document.getElementById("live-status");
    // A stream carries at most 10 topics: a member with more stores gets one per ten.
    for (let start = 0; start < topics.length; start += 10) {
      const query = new URLSearchParams();
      for (const topic of topics.slice(start, start + 10)) query.append("topic", topic);
      query.set("last_event_id", String(after));
      const source = new EventSource(`${holder.dataset.streamUrl}?${query}`);
      source.addEventListener("open", () => { status.textContent = status.dataset.connected; });
      source.addEventListener("error", () => { status.textContent = status.dataset.lost; });
      source.addEventListener("message", (message) => {
        const data = JSON.parse(message.data);
        const payload = data.payload || {};
        const body = document.getElementById("live-events-body");
        if (payload.type === "live_event" && body) eventRow(body, payload);
        if (payload.type === "camera_status") cameraRow(payload);
      });
    }
  });
})();
