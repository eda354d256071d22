// The import page: fetch the progress panel again every second until the import ends.
(function () {
  "use strict";
  function poll() {
    var panel = document.getElementById("import-progress");
    var url = panel && panel.getAttribute("data-refresh");
    if (!url) return;
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#import-progress");
        if (fresh) panel.replaceWith(fresh);
      })
      .catch(function () { /* try again at the next tick */ })
      .finally(function () { window.setTimeout(poll, 1000); });
  }
  window.setTimeout(poll, 1000);
})();
