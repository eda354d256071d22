// Store location maps: a read-only map on the store page, a click-to-place picker on the form.
// Tiles come from the configured URL; with none (offline), the map still shows the marker.
(function () {
  "use strict";
  const US_CENTER = [39.5, -98.35];

  function baseMap(element, center, zoom) {
    const map = L.map(element, { scrollWheelZoom: false }).setView(center, zoom);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, {
        maxZoom: 19,
        attribution: "&copy; OpenStreetMap contributors",
      }).addTo(map);
    }
    return map;
  }

  function point(element) {
    const lat = parseFloat(element.dataset.lat);
    const lon = parseFloat(element.dataset.lon);
    return Number.isFinite(lat) && Number.isFinite(lon) ? [lat, lon] : null;
  }

  // The marker's position, mirrored on the map element so that the page's state can be
  // read back without reaching into Leaflet (tests, other scripts).
  function mirror(element, latlng) {
    const at = L.latLng(latlng);
    element.dataset.markerLat = at.lat.toFixed(6);
    element.dataset.markerLon = at.lng.toFixed(6);
  }

  function readOnly(element) {
    const at = point(element);
    if (!at) return;
    const map = baseMap(element, at, 14);
    L.marker(at, { keyboard: false, title: element.getAttribute("aria-label") }).addTo(map);
    mirror(element, at);
  }

  function picker(element) {
    const latInput = document.getElementById(element.dataset.latInput);
    const lonInput = document.getElementById(element.dataset.lonInput);
    const typed = [parseFloat(latInput.value), parseFloat(lonInput.value)];
    const start = point(element) || (typed.every(Number.isFinite) ? typed : null);
    const map = baseMap(element, start || US_CENTER, start ? 14 : 4);
    let marker = null;

    function place(latlng) {
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.marker(latlng, { draggable: true, title: element.dataset.markerTitle || "" });
        marker.addTo(map);
        marker.on("dragend", () => { fill(marker.getLatLng()); mirror(element, marker.getLatLng()); });
      }
      mirror(element, latlng);
    }
    function fill(latlng) {
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
    }
    if (start) place(start);
    map.on("click", (event) => { place(event.latlng); fill(event.latlng); });
    for (const input of [latInput, lonInput]) {
      input.addEventListener("change", () => {
        const at = [parseFloat(latInput.value), parseFloat(lonInput.value)];
        if (at.every(Number.isFinite)) { place(at); map.setView(at, Math.max(map.getZoom(), 12)); }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const shown = document.getElementById("store-map");
    if (shown) readOnly(shown);
    const pick = document.getElementById("map-picker");
    if (pick) picker(pick);
  });
})();
