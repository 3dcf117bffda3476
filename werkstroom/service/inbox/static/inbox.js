// Progressive enhancement only: every action works without JavaScript.
// A "select all" box above the checkboxes of a bulk form.
document.querySelectorAll("form.bulk").forEach(function (form) {
  var boxes = form.querySelectorAll('input[name="entry"]');
  var cell = form.querySelector("thead th.pick");
  if (!boxes.length || !cell) { return; }
  var all = document.createElement("input");
  all.type = "checkbox";
  all.setAttribute("aria-label", form.dataset.selectAll || "Select all");
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
  cell.appendChild(all);
});
