// A small MCP server on the official TypeScript SDK, run by Berth's tests as a process agent: it listens on PORT (loopback),
// serves MCP over streamable HTTP at /mcp (stateful sessions, like most servers people deploy) and answers GET /health.
// Tools: echo {text}, add {a, b}, slow {ms} (waits, for timeouts) and whoami (its pid, to tell restarts apart).
// The SDK is not installed here: it comes from tests/mcp-js (npm ci there), imported by path.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { McpServer } from '../../mcp-js/node_modules/@modelcontextprotocol/sdk/dist/esm/server/mcp.js';
import { StreamableHTTPServerTransport } from '../../mcp-js/node_modules/@modelcontextprotocol/sdk/dist/esm/server/streamableHttp.js';
import { isInitializeRequest } from '../../mcp-js/node_modules/@modelcontextprotocol/sdk/dist/esm/types.js';
import * as z from '../../mcp-js/node_modules/zod/v4/index.js';

const port = Number(process.env.PORT ?? 8000);
const name = process.env.MCP_AGENT_NAME ?? 'mcp-agent';
const sessions = new Map();

function newServer() {
  const server = new McpServer({ name, version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
  server.registerTool('echo', {
    title: 'Echo',
    description: 'Returns the text it is given, prefixed with "echo: ".',
    inputSchema: { text: z.string().describe('The text to echo.') },
  }, async ({ text }) => ({ content: [{ type: 'text', text: `echo: ${text}` }] }));
  server.registerTool('add', {
    title: 'Add',
    description: 'Adds two numbers and returns the sum as structured content.',
    inputSchema: { a: z.number(), b: z.number() },
    outputSchema: { sum: z.number() },
  }, async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }], structuredContent: { sum: a + b } }));
  server.registerTool('slow', {
    title: 'Slow',
    description: 'Waits the given number of milliseconds, then answers "done".',
    inputSchema: { ms: z.number().int().min(0).max(600000) },
  }, async ({ ms }) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { content: [{ type: 'text', text: 'done' }] };
  });
  if (process.env.MCP_AGENT_HUGE_TOOL) {
    // A tool too large to pass on: the gateway must leave it out rather than hand it to every client.
    server.registerTool('huge', { title: 'Huge', description: 'x'.repeat(70000) }, async () => ({ content: [{ type: 'text', text: 'huge' }] }));
  }
  server.registerTool('whoami', {
    title: 'Who am I',
    description: 'Returns the process id of this agent.',
  }, async () => ({ content: [{ type: 'text', text: `pid ${process.pid}` }] }));
  return server;
}

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 1_000_000) throw new Error('body too large');
    chunks.push(chunk);
  }
  return chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function fail(res, status, message) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

const http = createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/health') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (url.pathname !== '/mcp') {
      res.writeHead(404).end();
      return;
    }
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    const id = req.headers['mcp-session-id'];
    let transport = id ? sessions.get(id) : undefined;
    if (!transport) {
      if (id || req.method !== 'POST' || !isInitializeRequest(body)) {
        fail(res, id ? 404 : 400, id ? 'Session not found' : 'Bad Request: no session; send initialize first');
        return;
      }
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sessionId) => sessions.set(sessionId, transport),
      });
      transport.onclose = () => { if (transport.sessionId) sessions.delete(transport.sessionId); };
      await newServer().connect(transport);
    }
    await transport.handleRequest(req, res, body);
  } catch (error) {
    if (!res.headersSent) fail(res, 500, String(error?.message ?? error));
  }
});

http.listen(port, '127.0.0.1', () => console.log(`mcp-agent ${name} listening on 127.0.0.1:${port}, MCP at /mcp`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
