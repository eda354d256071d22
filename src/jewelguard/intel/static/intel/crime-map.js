// The crime map: H3 hexagons from /api/intel/cells, coloured low to high (ColorBrewer YlOrRd,
// colour-blind safe), refetched when the view or a filter changes; a click shows one cell.
// Colours come from CSS classes (the content security policy allows no inline styles).
(function () {
  "use strict";
  const US_CENTER = [39.5, -98.35];
  const CLASSES = 6;
  const COLOURS = ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"];
  // Zoom -> H3 resolution: hexagons 8-20 px wide at latitude 40 degrees.
  const ZOOM_RESOLUTION = [[6, 4], [8, 5], [9, 6], [10, 7], [12, 8], [13, 9], [99, 10]];

  function resolutionFor(zoom, lowest, finest) {
    let res = finest;
    for (const [upTo, r] of ZOOM_RESOLUTION) { if (zoom <= upTo) { res = r; break; } }
    return Math.max(lowest, Math.min(finest, res));
  }

  // Class limits growing geometrically from the smallest count to the largest in view.
  function breaks(counts) {
    if (!counts.length) return [];
    const low = Math.min(...counts), high = Math.max(...counts);
    const limits = [];
    for (let i = 0; i < CLASSES; i++) {
      const from = Math.round(low * Math.pow(high / low, i / CLASSES));
      if (!limits.length || from > limits[limits.length - 1]) limits.push(from);
    }
    return limits; // class i holds counts from limits[i] up to limits[i + 1] - 1
  }

  function classOf(count, limits) {
    let found = 0;
    limits.forEach((from, i) => { if (count >= from) found = i; });
    // spread fewer classes over the whole scale so that "high" stays dark red
    return limits.length > 1 ? Math.round(found * (CLASSES - 1) / (limits.length - 1)) : 0;
  }

  function text(tag, content, className) {
    const node = document.createElement(tag);
    if (content !== undefined) node.textContent = content;
    if (className) node.className = className;
    return node;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const element = document.getElementById("crime-map");
    if (!element) return;
    const words = document.getElementById("crime-map-words");
    const say = (key) => words.dataset[key] || key;
    const scenarioTitle = (id) => words.getAttribute("data-scenario-" + id) || id;
    const form = document.getElementById("crime-map-filters");
    const status = document.getElementById("crime-map-status");
    const legend = document.getElementById("legend-classes");
    const topBody = document.querySelector("#crime-map-top tbody");
    const detailBody = document.getElementById("detail-body");
    const detailEmpty = document.getElementById("detail-empty");
    const lowest = parseInt(element.dataset.minResolution, 10);
    const finest = parseInt(element.dataset.maxResolution, 10);

    // The view lives in the address's fragment (#zoom/lat/lon, as on OpenStreetMap) and the
    // filters in its query, so that a link or a reload shows the same map.
    const shared = /^#(\d{1,2})\/(-?\d{1,2}(?:\.\d+)?)\/(-?\d{1,3}(?:\.\d+)?)$/.exec(location.hash);
    const map = L.map(element, { zoomSnap: 1 });
    if (shared) {
      map.setView([parseFloat(shared[2]), parseFloat(shared[3])], parseInt(shared[1], 10));
    } else {
      map.setView(US_CENTER, 4);
    }
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, {
        maxZoom: 19, attribution: "&copy; OpenStreetMap contributors",
      }).addTo(map);
    }
    const hexagons = L.geoJSON(null).addTo(map);
    const stores = JSON.parse(document.getElementById("crime-map-stores").textContent);
    for (const store of stores) {
      L.marker([store.lat, store.lon], { title: store.name, alt: say("store") + ": " + store.name })
        .bindTooltip(store.name).addTo(map);
    }
    if (stores.length && !shared) {
      map.fitBounds(L.latLngBounds(stores.map((s) => [s.lat, s.lon])).pad(0.5), { maxZoom: 11 });
    }

    let request = 0;
    let selected = null;
    let filtersChanged = false;

    function filters() {
      const query = new URLSearchParams();
      for (const name of ["scenario", "since", "until", "source"]) {
        const value = form.elements[name].value;
        if (value) query.set(name, value);
      }
      return query;
    }

    function viewport() {
      const b = map.getBounds();
      const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
      const west = clamp(b.getWest(), -180, 179.999), east = clamp(b.getEast(), west + 0.001, 180);
      const south = clamp(b.getSouth(), -90, 89.999), north = clamp(b.getNorth(), south + 0.001, 90);
      return [west, south, east, north].map((v) => v.toFixed(4)).join(",");
    }

    function drawLegend(limits) {
      legend.replaceChildren();
      limits.forEach((from, i) => {
        const to = i + 1 < limits.length ? limits[i + 1] - 1 : null;
        const item = text("li");
        item.appendChild(text("span", "", "swatch crime-c" + classOf(from, limits)));
        const range = to === null ? from + "+" : (to === from ? String(from) : from + "–" + to);
        item.appendChild(text("span", range + " " + say("incidents")));
        legend.appendChild(item);
      });
      element.dataset.legendClasses = String(limits.length);
    }

    function drawTop(features) {
      topBody.replaceChildren();
      const top = [...features].sort((a, b) => b.properties.count - a.properties.count).slice(0, 10);
      for (const feature of top) {
        const row = text("tr");
        const centre = L.geoJSON(feature).getBounds().getCenter();
        row.appendChild(text("td", centre.lat.toFixed(3) + ", " + centre.lng.toFixed(3)));
        row.appendChild(text("td", String(feature.properties.count)));
        const cell = text("td");
        const button = text("button", say("show"), "link-button");
        button.type = "button";
        button.dataset.cell = feature.properties.cell;
        button.addEventListener("click", () => showCell(feature.properties.cell));
        cell.appendChild(button);
        row.appendChild(cell);
        topBody.appendChild(row);
      }
    }

    function table(caption, headings, rows) {
      const t = text("table", undefined, "crime-map-counts");
      t.appendChild(text("caption", caption));
      const head = text("tr");
      for (const h of headings) { const th = text("th", h); th.scope = "col"; head.appendChild(th); }
      t.appendChild(text("thead")).appendChild(head);
      const body = t.appendChild(text("tbody"));
      for (const cells of rows) {
        const tr = body.appendChild(text("tr"));
        cells.forEach((value, i) => {
          const td = text(i ? "td" : "th", String(value));
          if (!i) td.scope = "row";
          tr.appendChild(td);
        });
      }
      return t;
    }

    async function showCell(cell) {
      selected = cell;
      const query = filters();
      const answer = await fetch(`/api/intel/cells/${encodeURIComponent(cell)}?${query}`, {
        headers: { Accept: "application/json" }, credentials: "same-origin",
      });
      if (selected !== cell) return;
      detailEmpty.hidden = true;
      detailBody.hidden = false;
      detailBody.replaceChildren();
      element.dataset.selectedCell = cell;
      if (!answer.ok) {
        detailBody.appendChild(text("p", say("gone")));
        return;
      }
      const detail = await answer.json();
      detailBody.appendChild(text("p", say("centre") + ": " + detail.centre.join(", ")));
      const rows = Object.entries(detail.by_scenario)
        .sort((a, b) => b[1] - a[1])
        .map(([id, n]) => [scenarioTitle(id), n]);
      if (detail.other) rows.push([say("other"), detail.other]);
      rows.push([say("total"), detail.count]);
      detailBody.appendChild(table(say("scenario"), [say("scenario"), say("count")], rows));
      const trend = table(say("trend"), [say("month"), say("count")],
        detail.trend.map((m) => [m.month, m.count]));
      trend.classList.add("crime-map-trend");
      // a bar per month, drawn with classes only: its width is a tenth of the busiest month
      const busiest = Math.max(1, ...detail.trend.map((m) => m.count));
      trend.querySelectorAll("tbody tr").forEach((tr, i) => {
        const bar = text("span", "", "bar bar-" + Math.round(10 * detail.trend[i].count / busiest));
        bar.setAttribute("aria-hidden", "true");
        tr.lastChild.appendChild(bar);
      });
      detailBody.appendChild(trend);
    }

    async function refresh() {
      const mine = ++request;
      const res = resolutionFor(map.getZoom(), lowest, finest);
      const query = filters();
      query.set("bbox", viewport());
      query.set("res", String(res));
      status.textContent = say("loading");
      element.setAttribute("aria-busy", "true");
      let answer;
      try {
        answer = await fetch(`${element.dataset.cellsUrl}?${query}`, {
          headers: { Accept: "application/geo+json" }, credentials: "same-origin",
        });
      } catch (error) {
        answer = null;
      }
      if (mine !== request) return;
      element.removeAttribute("aria-busy");
      if (!answer || !answer.ok) {
        let reason = answer ? String(answer.status) : "network";
        try { reason = (await answer.json()).detail[0].msg; } catch (error) { /* keep status */ }
        status.textContent = say("failed").replace("%(reason)s", reason);
        // no stale hexagons: what is on the map must match what the filters and view say
        hexagons.clearLayers();
        topBody.replaceChildren();
        drawLegend([]);
        element.dataset.state = "failed";
        return;
      }
      const data = await answer.json();
      const features = data.features;
      const limits = breaks(features.map((f) => f.properties.count));
      hexagons.clearLayers();
      hexagons.addData(data);
      hexagons.eachLayer((layer) => {
        const props = layer.feature.properties;
        const k = classOf(props.count, limits);
        layer.setStyle({ color: "#555", weight: 1, fillColor: COLOURS[k], fillOpacity: 0.7 });
        layer.bindTooltip(props.count + " " + say("incidents"));
        layer.on("click", () => showCell(props.cell));
        const path = layer.getElement && layer.getElement();
        if (path) { path.classList.add("crime-hex"); path.dataset.cell = props.cell; path.dataset.count = props.count; }
      });
      drawLegend(limits);
      drawTop(features);
      if (selected && filtersChanged) {
        // the chosen hexagon under the new filters: its new counts, or that it has none
        if (features.some((f) => f.properties.cell === selected)) {
          showCell(selected);
        } else {
          detailBody.replaceChildren(text("p", say("gone")));
        }
      }
      filtersChanged = false;
      element.dataset.resolution = String(res);
      element.dataset.hexagons = String(features.length);
      element.dataset.state = "ready";
      status.textContent = features.length
        ? say("shown").replace("%(count)s", features.length).replace("%(res)s", res)
        : say("none");
    }

    function remember() {
      const c = map.getCenter();
      const query = filters().toString();
      const hash = `#${map.getZoom()}/${c.lat.toFixed(4)}/${c.lng.toFixed(4)}`;
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + hash);
    }

    let timer = null;
    const soon = () => { clearTimeout(timer); timer = setTimeout(() => { remember(); refresh(); }, 150); };
    map.on("moveend", soon);
    form.addEventListener("change", () => { filtersChanged = true; soon(); });
    form.addEventListener("submit", (event) => { event.preventDefault(); refresh(); });
    refresh();
  });
})();
