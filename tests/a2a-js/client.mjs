// Discovers an A2A agent THROUGH BERTH with the official A2A JavaScript SDK's client and sends it one message.
// Usage: node client.mjs CARD_URL TEXT   (BERTH_TOKEN in the environment is sent as a bearer token on every call).
// Prints one JSON line: { card, reply } — the card the SDK resolved and the text parts of the agent's answer.
import { ClientFactory, ClientFactoryOptions, DefaultAgentCardResolver, JsonRpcTransportFactory } from "@a2a-js/sdk/client";
import { Role } from "@a2a-js/sdk";
import { randomUUID } from "node:crypto";

const [cardUrl, text] = process.argv.slice(2);
if (!cardUrl || text === undefined) {
  console.error("usage: node client.mjs CARD_URL TEXT");
  process.exit(2);
}

const token = process.env.BERTH_TOKEN ?? "";
const fetchWithToken = (input, init = {}) => {
  const headers = new Headers(init.headers ?? {});
  if (token) headers.set("Authorization", `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};

const resolver = new DefaultAgentCardResolver({ fetchImpl: fetchWithToken });
const card = await resolver.resolve(cardUrl, "");
const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
  transports: [new JsonRpcTransportFactory({ fetchImpl: fetchWithToken })],
  cardResolver: resolver,
}));
const client = await factory.createFromAgentCard(card);
const answer = await client.sendMessage({
  tenant: "",
  message: {
    messageId: randomUUID(), contextId: "", taskId: "", role: Role.ROLE_USER,
    parts: [{ content: { $case: "text", value: text }, metadata: undefined, filename: "", mediaType: "text/plain" }],
    metadata: undefined, extensions: [], referenceTaskIds: [],
  },
  configuration: undefined,
  metadata: undefined,
});
const parts = answer.parts ?? answer.status?.message?.parts ?? [];
const reply = parts.map((p) => (p.content?.$case === "text" ? p.content.value : "")).join("");
console.log(JSON.stringify({ card, reply }));
