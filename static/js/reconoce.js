// Countdown: the server renders the remaining time; this only keeps it ticking.
(function () {
  function pad(n) { return String(n).padStart(2, "0"); }
  function tick(el) {
    var target = Date.parse(el.dataset.deadline);
    // Rounded up: during the last second (it is received whole) one second still remains.
    var remaining = Math.max(0, Math.ceil((target - Date.now()) / 1000));
    var d = Math.floor(remaining / 86400), h = Math.floor(remaining % 86400 / 3600);
    var m = Math.floor(remaining % 3600 / 60), s = remaining % 60;
    var out = el.querySelector("[data-countdown-text]");
    if (!out) return;
    out.textContent = remaining === 0 ? el.dataset.closedText
      : d + (d === 1 ? " día, " : " días, ") + pad(h) + ":" + pad(m) + ":" + pad(s);
  }
  document.querySelectorAll("[data-deadline]").forEach(function (el) {
    tick(el);
    setInterval(function () { tick(el); }, 1000);
  });
})();

// A decisive submit asks first: data-confirmar on the form, or on the submit button that was pressed
// (instead of onsubmit="return confirm(…)", which the Content-Security-Policy refuses).
document.addEventListener("submit", function (ev) {
  var boton = ev.submitter;
  var texto = (boton && boton.dataset.confirmar) || ev.target.dataset.confirmar;
  if (texto && !window.confirm(texto)) { ev.preventDefault(); }
});

// A page that comes back from a refused submit shows its errors: focus goes to their summary
// (data-resumen-errores) or to the first field in error, whose message is tied to it, so a screen
// reader reads it and the keyboard starts there (instead of at the top of the page).
(function () {
  var resumen = document.querySelector("[data-resumen-errores]");
  var destino = resumen || document.querySelector("main .is-invalid");
  if (!destino) return;
  if (resumen && !resumen.hasAttribute("tabindex")) resumen.setAttribute("tabindex", "-1");
  destino.focus();
})();
