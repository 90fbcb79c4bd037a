/// The pages' only script and the portal's icon, served from memory.
///
/// The script (`/assets/app.js`) keeps a form from being sent twice and asks before a
/// destructive action; every page works without it.
package enum Script {
    package static let javascript = """
        document.addEventListener("submit", function (event) {
          var form = event.target;
          var question = form.getAttribute("data-confirm");
          if (question && !window.confirm(question)) { event.preventDefault(); return; }
          if (form.method.toLowerCase() !== "post") { return; }
          if (form.dataset.sent) { event.preventDefault(); return; }
          form.dataset.sent = "1";
          var buttons = form.querySelectorAll("button[type=submit]");
          for (var i = 0; i < buttons.length; i++) { buttons[i].setAttribute("disabled", "disabled"); }
        });
        """

    /// The portal's icon: a speech bubble over the sea, in the province's blue.
    package static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#fff"/>\
        <path d="M14 16h36a4 4 0 0 1 4 4v18a4 4 0 0 1-4 4H30l-10 8v-8h-6a4 4 0 0 1-4-4V20a4 4 0 0 1 4-4z" fill="#1d5b8c"/>\
        <circle cx="23" cy="29" r="3" fill="#fff"/><circle cx="32" cy="29" r="3" fill="#fff"/>\
        <circle cx="41" cy="29" r="3" fill="#c07a2c"/><path d="M8 54c6-4 10-4 16 0s10 4 16 0 10-4 16 0" \
        stroke="#1d5b8c" stroke-width="3" fill="none" stroke-linecap="round"/></svg>
        """
}
