// kg's query page: YASGUI on this server's endpoint, one tab per example query (see kg/web/query_ui.py).
(function () {
  "use strict";
  var examples = JSON.parse(document.getElementById("kg-examples").textContent);
  var config = JSON.parse(document.getElementById("kg-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  // Offline: no prefix.cc or LOV lookups, only the variables of the query itself.
  Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    copyEndpointOnNewTab: true,
    autoAddOnInit: false,
    populateFromUrl: false,
    persistenceId: null,
  });
  examples.forEach(function (example, i) {
    var active = config.selected ? example.name === config.selected : i === 0;
    yasgui.addTab(active, { name: example.title, yasqe: { value: example.query }, requestConfig: { endpoint: endpoint } });
  });
  if (!examples.length) {
    yasgui.addTab(true);
  }
  window.kgYasgui = yasgui;
})();
