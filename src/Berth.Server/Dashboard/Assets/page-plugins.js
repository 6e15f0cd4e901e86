// Installed plugins and the capabilities agents and plugins declare, with each capability's providers on demand.

import { get, isAbort } from "./api.js";
import { badge, enc, every, h, replace, section, statusLine, table } from "./dom.js";

export default function render(main, _params, signal) {
  const status = statusLine();
  const plugins = h("div", {}, h("p", { class: "empty" }, "Loading…"));
  const capabilities = h("div", {});
  const providers = h("div", { id: "providers" });
  let open = null;

  const showProviders = async name => {
    open = name;
    try {
      const detail = await get(`/api/v1/capabilities/${enc(name)}`, signal);
      if (open !== name) return;
      replace(providers, h("h3", {}, `Providers of ${name}`), table([
        ["Provider", p => p.provider],
        ["Kind", p => p.kind],
        ["Version", p => p.version ?? ""],
        ["Health", p => badge(p.health)],
        ["Healthy instances", p => p.healthyInstances, "num wide"],
        ["In flight", p => p.outstanding, "num wide"],
        ["Breaker", p => p.breaker, "wide"],
      ], detail.providers, "No providers.", { id: "capability-providers" }));
    } catch (error) {
      if (!isAbort(error)) replace(providers, h("p", { class: "error-text" }, error.message));
    }
  };

  main.append(h("h1", {}, "Plugins and capabilities"), status.element,
    section("Plugins", plugins), section("Capabilities", capabilities, providers));

  every(10000, signal, status, async () => {
    const [pluginList, capabilityList] = await Promise.all([get("/api/v1/plugins", signal), get("/api/v1/capabilities", signal)]);
    replace(plugins, table([
      ["Plugin", p => p.id],
      ["Versions", p => p.versions.join(", ")],
      ["Capabilities", p => p.capabilities.join(", ")],
      ["Description", p => p.description ?? "", "wide"],
      ["Tags", p => p.tags.join(", "), "wide"],
    ], pluginList, "No plugins installed. Install one with 'berth plugins install DIR'.", { id: "plugins" }));
    replace(capabilities, table([
      ["Capability", c => h("button", { type: "button", class: "link", onclick: () => showProviders(c.name) }, c.name)],
      ["Versions", c => c.versions.join(", ")],
      ["Healthy", c => `${c.healthy}/${c.providers}`, "num"],
    ], capabilityList, "No agent or plugin declares a capability.", { id: "capabilities" }));
  });
}
