// Topics, subscriptions with their depths, and dead-lettered messages with their last error (never a message body).

import { get } from "./api.js";
import { every, h, replace, section, statusLine, table, time } from "./dom.js";
import { exportButtons } from "./export.js";

export default function render(main, _params, signal) {
  const status = statusLine();
  const topics = h("div", {}, h("p", { class: "empty" }, "Loading…"));
  const subscriptions = h("div", {});
  const dead = h("div", {});
  let deadRows = [];

  main.append(h("h1", {}, "Topics and subscriptions"), status.element,
    section("Topics", topics),
    section("Subscriptions", subscriptions),
    section("Dead letters", h("div", { class: "controls" },
      exportButtons("dead-letters", ["id", "subscription", "topic", "key", "deliveries", "publishedAt", "lastError"], () => deadRows)), dead));

  every(5000, signal, status, async () => {
    const [topicList, subscriptionList, deadList] = await Promise.all([
      get("/api/v1/topics?mailboxes=true", signal),
      get("/api/v1/subscriptions?mailboxes=true", signal),
      get("/api/v1/messages?state=dead&limit=200", signal),
    ]);
    deadRows = deadList;
    replace(topics, table([
      ["Topic", t => t.name],
      ["Subscriptions", t => t.subscriptions.length, "num"],
      ["Kind", t => t.mailbox ? "mailbox" : "topic", "wide"],
    ], topicList, "No topics. Apply one with 'berth apply -f topic.yaml'.", { id: "topics" }));
    replace(subscriptions, table([
      ["Subscription", s => s.name],
      ["Topic", s => s.spec.topic],
      ["Ready", s => s.stats.ready, "num"],
      ["Leased", s => s.stats.leased, "num"],
      ["Dead", s => h("span", { class: s.stats.dead > 0 ? "error-text" : "" }, String(s.stats.dead)), "num"],
    ], subscriptionList, "No subscriptions.", { id: "subscriptions" }));
    replace(dead, table([
      ["Published", m => time(m.publishedAt)],
      ["Subscription", m => m.subscription],
      ["Deliveries", m => m.deliveries, "num"],
      ["Last error", m => m.lastError ?? "", "error-text"],
      ["Id", m => m.id, "wide"],
    ], deadList, "No dead letters.", { id: "dead-letters" }));
  });
}
