// The task page's "Add variable" button: it copies the last name/value row, emptied.
// Kept in a file with no inline handlers, so a script-src 'self' policy allows it.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("add-variable");
  if (!button) {
    return;
  }
  var rows = document.getElementById(button.getAttribute("data-rows"));
  button.hidden = false;
  button.addEventListener("click", function () {
    var last = rows.querySelector(".var-row:last-of-type");
    var row = last.cloneNode(true);
    row.classList.remove("invalid");
    row.querySelectorAll("input").forEach(function (input) {
      input.value = "";
    });
    row.querySelectorAll(".error").forEach(function (error) {
      error.remove();
    });
    rows.appendChild(row);
    row.querySelector("input").focus();
  });
});
