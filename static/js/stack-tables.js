// The admin's tabular inlines (a report's terlapor, its external numbers) become one card per row on a phone,
// like the portal's own tables (css/staff.css, table.nt-stack): each cell is labelled with its column's heading.
// Without this script the table still works; it scrolls inside its box instead.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const table of document.querySelectorAll(".inline-group .tabular table")) {
    const headings = Array.from(table.querySelectorAll(":scope > thead > tr > th"), (th) => th.textContent.trim());
    for (const row of table.querySelectorAll(":scope > tbody > tr")) {
      const cells = row.querySelectorAll(":scope > td");
      if (cells.length !== headings.length) continue; // error rows, "add another" rows
      cells.forEach((cell, column) => {
        if (headings[column]) cell.dataset.label = headings[column];
      });
    }
    table.classList.add("nt-stack");
  }
});
