// The Mini App's one script (no library, nothing fetched from elsewhere). Telegram opens a
// page with its launch data in the address's fragment: the signed initData (tgWebAppData)
// and the theme (tgWebAppThemeParams). The signed data is moved into the query string, where
// the server checks it and every link and form of the page carries it on; the theme's colours
// become the --tg-theme-* CSS variables the stylesheet uses, kept for the session's pages.
// Once a page is shown, it tells Telegram it is ready and asks for the whole height (the web
// events web_app_ready and web_app_expand, https://core.telegram.org/api/web-events), as
// telegram-web-app.js would: through the apps' bridge, else to Telegram Web's frame (to its
// origin only). That script is not loaded: the pages load nothing from elsewhere.
(function () {
  "use strict";
  var TELEGRAM_WEB = "https://web.telegram.org";
  function postEvent(type, data) {
    var proxy = window.TelegramWebviewProxy;
    if (proxy && typeof proxy.postEvent === "function") {
      proxy.postEvent(type, JSON.stringify(data));
    } else if (window.parent !== window) {
      window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data }), TELEGRAM_WEB);
    }
  }
  // The theme is kept for the session's pages where the browser lets a framed page keep it
  // (a third-party frame, as in Telegram Web, may be denied storage: each page then goes
  // without its theme, not without its sign-in).
  function kept(value) {
    try {
      if (value) {
        window.sessionStorage.setItem("tgWebAppThemeParams", value);
      }
      return window.sessionStorage.getItem("tgWebAppThemeParams") || value;
    } catch (denied) {
      return value;
    }
  }
  var launch = new URLSearchParams(window.location.hash.slice(1));
  var theme = kept(launch.get("tgWebAppThemeParams"));
  if (theme) {
    try {
      var colours = JSON.parse(theme);
      Object.keys(colours).forEach(function (name) {
        var value = String(colours[name]);
        if (/^#[0-9a-fA-F]{3,8}$/.test(value)) {
          document.documentElement.style.setProperty(
            "--tg-theme-" + name.replace(/_/g, "-"), value);
        }
      });
    } catch (unreadable) {
      kept("{}");
    }
  }
  var init = launch.get("tgWebAppData");
  var query = new URLSearchParams(window.location.search);
  if (init && query.get("init") !== init) {
    query.set("init", init);
    var rest = theme ? "#tgWebAppThemeParams=" + encodeURIComponent(theme) : "";
    window.location.replace(window.location.pathname + "?" + query.toString() + rest);
    return;
  }
  postEvent("web_app_ready", {});
  postEvent("web_app_expand", {});
})();
