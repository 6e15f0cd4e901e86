// An MCP client on the official TypeScript SDK that Berth's tests run against a real server, over streamable HTTP or over
// `berth mcp` (stdio). It prints one JSON summary on stdout; the test asserts it. The token comes from BERTH_TOKEN, never argv.
//
//   node ts-client.mjs http http://127.0.0.1:PORT/mcp
//   node ts-client.mjs stdio COMMAND [ARG...]      (for example: dotnet berth.dll mcp --server http://127.0.0.1:PORT)
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [mode, target, ...rest] = process.argv.slice(2);
const token = process.env.BERTH_TOKEN;

function transportFor() {
  if (mode === "http" && target) {
    const headers = token ? { Authorization: `Bearer ${token}` } : {};
    return new StreamableHTTPClientTransport(new URL(target), { requestInit: { headers } });
  }
  if (mode === "stdio" && target) {
    // The SDK passes only a safe subset of the environment by default; berth mcp needs BERTH_TOKEN and friends.
    return new StdioClientTransport({ command: target, args: rest, env: { ...process.env }, stderr: "inherit" });
  }
  throw new Error("usage: ts-client.mjs http URL | ts-client.mjs stdio COMMAND [ARG...]");
}

function text(result) {
  return (result.content ?? []).filter((c) => c.type === "text").map((c) => c.text).join("");
}

const client = new Client({ name: "berth-ts-test", version: "1.0.0" });
const transport = transportFor();
await client.connect(transport);

const capabilities = client.getServerCapabilities() ?? {};
const tools = await client.listTools();
const listAgents = await client.callTool({ name: "list_agents", arguments: {} });
const unknown = await client.callTool({ name: "get_agent", arguments: { name: "no-such-agent-ts" } });
await client.ping();

const summary = {
  mode,
  server: client.getServerVersion()?.name ?? null,
  protocolVersion: transport.protocolVersion ?? null,
  sessionId: transport.sessionId ?? null,
  tools: tools.tools.map((t) => t.name).sort(),
  readOnlyTools: tools.tools.filter((t) => t.annotations?.readOnlyHint === true).map((t) => t.name).sort(),
  listAgents: {
    isError: listAgents.isError === true,
    agents: Array.isArray(listAgents.structuredContent?.agents) ? listAgents.structuredContent.agents.length : null,
  },
  getAgentUnknown: { isError: unknown.isError === true, text: text(unknown) },
  resources: capabilities.resources ? (await client.listResources()).resources.map((r) => r.uri) : null,
  resourceTemplates: capabilities.resources ? (await client.listResourceTemplates()).resourceTemplates.map((r) => r.uriTemplate) : null,
  prompts: capabilities.prompts ? (await client.listPrompts()).prompts.map((p) => p.name) : null,
};

// Ending the session: DELETE over HTTP, closing stdin (so berth mcp exits) over stdio.
if (mode === "http") {
  await transport.terminateSession();
}
await client.close();
process.stdout.write(JSON.stringify(summary) + "\n");
