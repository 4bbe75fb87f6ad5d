// The Mini App's one script (no library, nothing fetched from elsewhere). Telegram opens a
// page with its launch data in the address's fragment: the signed initData (tgWebAppData)
// and the theme (tgWebAppThemeParams). The signed data is moved into the query string, where
// the server checks it and every link and form of the page carries it on; the theme's colours
// become the --tg-theme-* CSS variables the stylesheet uses, kept for the session's pages.
(function () {
  "use strict";
  var launch = new URLSearchParams(window.location.hash.slice(1));
  var theme = launch.get("tgWebAppThemeParams");
  if (theme) {
    window.sessionStorage.setItem("tgWebAppThemeParams", theme);
  }
  var kept = window.sessionStorage.getItem("tgWebAppThemeParams");
  if (kept) {
    try {
      var colours = JSON.parse(kept);
      Object.keys(colours).forEach(function (name) {
        var value = String(colours[name]);
        if (/^#[0-9a-fA-F]{3,8}$/.test(value)) {
          document.documentElement.style.setProperty(
            "--tg-theme-" + name.replace(/_/g, "-"), value);
        }
      });
    } catch (ignored) {
      window.sessionStorage.removeItem("tgWebAppThemeParams");
    }
  }
  var init = launch.get("tgWebAppData");
  var query = new URLSearchParams(window.location.search);
  if (init && query.get("init") !== init) {
    query.set("init", init);
    window.location.replace(window.location.pathname + "?" + query.toString());
  }
})();
