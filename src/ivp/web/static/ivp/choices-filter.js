// Filter a long list of checkboxes (e.g. all gemeenten) by what the user types. Without
// JavaScript the list simply scrolls; ticked options always stay visible.
(function () {
  function setup(input) {
    if (input.dataset.ready) return;
    input.dataset.ready = "1";
    var list = document.getElementById(input.dataset.filter);
    if (!list) return;
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLocaleLowerCase("nl");
      list.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        var row = box.closest("div") || box.parentElement;
        var text = (box.closest("label") || row).textContent.toLocaleLowerCase("nl");
        row.hidden = !(box.checked || !needle || text.indexOf(needle) !== -1);
      });
    });
  }
  function init() { document.querySelectorAll("input[data-filter]").forEach(setup); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
