// The store form's hours: a "closed" tick greys out that day's times, and one button copies
// Monday's hours to Tuesday-Friday. Without this script the form works the same, by hand.
(function () {
  "use strict";

  function syncRow(row) {
    const closed = row.querySelector('input[type="checkbox"][name$="_closed"], input[type="checkbox"][name$="-closed"]');
    if (!closed) return;
    for (const input of row.querySelectorAll('input[type="time"]')) {
      input.disabled = closed.checked;
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const rows = document.querySelectorAll(".store-hours tr[data-weekday], .special-days tr.special-day");
    for (const row of rows) {
      syncRow(row);
      row.addEventListener("change", (event) => {
        if (event.target.type === "checkbox") syncRow(row);
      });
    }
    const copy = document.getElementById("copy-monday");
    if (!copy) return;
    copy.hidden = false;
    copy.addEventListener("click", () => {
      const monday = document.querySelector('.store-hours tr[data-weekday="0"]');
      const value = (row, suffix) => row.querySelector(`[name$="_${suffix}"]`);
      for (let day = 1; day <= 4; day += 1) {
        const row = document.querySelector(`.store-hours tr[data-weekday="${day}"]`);
        for (const suffix of ["opens", "closes"]) value(row, suffix).value = value(monday, suffix).value;
        value(row, "closed").checked = value(monday, "closed").checked;
        syncRow(row);
      }
    });
  });
})();
