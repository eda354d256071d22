// The zone editor: click corners on the camera's picture, finish a shape, name it, save.
// Points are kept as fractions of the picture (0..1), as the pipeline reads them.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";

  document.addEventListener("DOMContentLoaded", () => {
    const editor = document.getElementById("zone-editor");
    if (!editor) return;
    const svg = document.getElementById("zone-svg");
    const list = document.getElementById("zone-list");
    const message = document.getElementById("zone-message");
    const drawing = JSON.parse(document.getElementById("zones-data").textContent);
    const zones = drawing.zones || [];
    const masks = drawing.masks || [];
    let current = [];

    function polygon(points, className) {
      const shape = document.createElementNS(SVG, points.length > 2 ? "polygon" : "polyline");
      shape.setAttribute("points", points.map(([x, y]) => `${x * 1000},${y * 1000}`).join(" "));
      shape.setAttribute("class", className);
      return shape;
    }

    function render() {
      svg.replaceChildren();
      list.replaceChildren();
      zones.forEach((zone, index) => {
        svg.append(polygon(zone.polygon, `zone zone-${zone.kind}`));
        list.append(item(`${zone.name} (${zone.kind})`, () => zones.splice(index, 1)));
      });
      masks.forEach((mask, index) => {
        svg.append(polygon(mask, "zone zone-mask"));
        list.append(item(`mask ${index + 1}`, () => masks.splice(index, 1)));
      });
      if (current.length) svg.append(polygon(current, "zone zone-drawing"));
    }

    function item(text, remove) {
      const li = document.createElement("li");
      li.textContent = `${text} `;
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = "×";
      button.setAttribute("aria-label", `remove ${text}`);
      button.addEventListener("click", () => { remove(); render(); });
      li.append(button);
      return li;
    }

    svg.addEventListener("click", (event) => {
      const box = svg.getBoundingClientRect();
      const x = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
      const y = Math.min(1, Math.max(0, (event.clientY - box.top) / box.height));
      current.push([Math.round(x * 1e4) / 1e4, Math.round(y * 1e4) / 1e4]);
      render();
    });
    document.getElementById("zone-undo").addEventListener("click", () => { current.pop(); render(); });
    document.getElementById("zone-finish").addEventListener("click", () => {
      if (current.length < 3) return;
      const kind = document.getElementById("zone-kind").value;
      const name = document.getElementById("zone-name").value.trim();
      if (kind === "mask") masks.push(current);
      else zones.push({ name: name || `${kind} ${zones.length + 1}`, kind, polygon: current });
      current = [];
      render();
    });
    document.getElementById("zone-save").addEventListener("click", async () => {
      const token = editor.querySelector('input[name="csrfmiddlewaretoken"]').value;
      const response = await fetch(editor.dataset.saveUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({ zones, masks }),
      });
      if (response.ok) {
        message.textContent = editor.dataset.saved;
      } else {
        const body = await response.json().catch(() => ({ errors: {} }));
        message.textContent = `${editor.dataset.failed} ${Object.values(body.errors || {}).flat().join(" ")}`;
      }
    });
    render();
  });
})();
