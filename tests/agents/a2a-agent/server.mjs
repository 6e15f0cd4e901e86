// An A2A agent built on the official A2A JavaScript SDK's server (JSON-RPC over Express): one skill, "echo", that answers
// every message with "echo: " and its text. Berth runs it as a process agent; it listens on PORT and advertises its own
// loopback address in its card, which Berth rewrites to its proxy URL. The SDK comes from tests/a2a-js/node_modules
// (A2A_JS_MODULES names that folder; node resolves packages from the script's folder otherwise).
import { pathToFileURL } from "node:url";
import { randomUUID } from "node:crypto";
import path from "node:path";

const modules = process.env.A2A_JS_MODULES;
if (!modules) {
  console.error("A2A_JS_MODULES must name tests/a2a-js/node_modules");
  process.exit(2);
}
// Imported by file from that folder (Node 20 cannot resolve a bare name from another folder in an ES module), so the
// SDK and this script share one copy of each package.
const load = (file) => import(pathToFileURL(path.join(modules, file)).href);
const express = (await load("express/index.js")).default;
const { AgentEvent, DefaultRequestHandler, InMemoryTaskStore } = await load("@a2a-js/sdk/dist/server/index.js");
const { agentCardHandler, jsonRpcHandler, UserBuilder } = await load("@a2a-js/sdk/dist/server/express/index.js");
const { Role } = await load("@a2a-js/sdk/dist/index.js");

const port = Number(process.env.PORT ?? 8000);
const own = `http://127.0.0.1:${port}`;

const card = {
  name: "Echo Agent",
  description: "Answers every message with the text it was sent.",
  supportedInterfaces: [{ url: `${own}/a2a/jsonrpc`, protocolBinding: "JSONRPC", protocolVersion: "1.0", tenant: "" }],
  provider: { organization: "Berth tests", url: "https://example.com/berth-tests" },
  version: "1.0.0",
  capabilities: { streaming: false, pushNotifications: false, extensions: [] },
  securitySchemes: {},
  securityRequirements: [],
  defaultInputModes: ["text/plain"],
  defaultOutputModes: ["text/plain"],
  skills: [
    { id: "echo", name: "Echo", description: "Says back what it is sent.", tags: ["echo"], examples: ["hello"], inputModes: [], outputModes: [], securityRequirements: [] },
    { id: "Say Hello!", name: "Greet", description: "A skill id that is not a capability name as it is.", tags: [], examples: [], inputModes: [], outputModes: [], securityRequirements: [] },
  ],
  signatures: [],
};

const executor = {
  async execute(context, bus) {
    const text = context.userMessage.parts.map((p) => (p.content?.$case === "text" ? p.content.value : "")).join("");
    bus.publish(AgentEvent.message({
      messageId: randomUUID(),
      contextId: context.contextId,
      taskId: "",
      role: Role.ROLE_AGENT,
      parts: [{ content: { $case: "text", value: `echo: ${text}` }, metadata: undefined, filename: "", mediaType: "text/plain" }],
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    }));
    bus.finished();
  },
  async cancelTask() {},
};

const handler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor);
const app = express();
app.get("/health", (_req, res) => res.json({ ok: true }));
app.use("/.well-known/agent-card.json", agentCardHandler({ agentCardProvider: handler }));
app.use("/a2a/jsonrpc", jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));
app.listen(port, "127.0.0.1", () => console.log(`a2a-agent listening on ${own}`));
