// Progressive enhancement only: the page works without this file.
// Shows the "Print this page" button, which needs JavaScript to work.
document.querySelectorAll(".js-print").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
