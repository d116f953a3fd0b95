// Drives the MCP TypeScript SDK's OAuth client against a protected resource, the way an MCP
// client meets an MCP server: it calls the resource, reads `resource_metadata` from the 401,
// and lets the SDK discover the authorization server (RFC 9728, RFC 8414), run the authorization
// code flow with PKCE and RFC 8707 `resource`, and exchange the code. Only the browser's part is
// left to the caller, over stdin/stdout:
//   node authorize.mjs RESOURCE_URL REDIRECT_URL CLIENT_ID
//   prints   {"authorize": URL}          open it in a browser; the redirect brings a code
//   reads    one line: the code
//   prints   {"result", "status", "body", "tokens"}   the SDK's outcome and the resource's answer
import { auth, extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import { createInterface } from 'node:readline';

const [resourceUrl, redirectUrl, clientId] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const first = await fetch(resourceUrl);
if (first.status !== 401) {
  throw new Error(`expected 401 from ${resourceUrl}, got ${first.status}`);
}
const { resourceMetadataUrl } = extractWWWAuthenticateParams(first);
if (!resourceMetadataUrl) {
  throw new Error(`no resource_metadata in: ${first.headers.get('WWW-Authenticate')}`);
}

let verifier;
let tokens;
let discovery;
const provider = {
  get redirectUrl() { return redirectUrl; },
  get clientMetadata() {
    return { client_name: 'MCP end-to-end', redirect_uris: [redirectUrl], grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'], token_endpoint_auth_method: 'none' };
  },
  state() { return 'mcp-e2e-state'; },
  clientInformation() { return { client_id: clientId }; },
  tokens() { return tokens; },
  saveTokens(t) { tokens = t; },
  redirectToAuthorization(url) { console.log(JSON.stringify({ authorize: url.href })); },
  saveCodeVerifier(v) { verifier = v; },
  codeVerifier() { return verifier; },
  saveDiscoveryState(s) { discovery = s; },
  discoveryState() { return discovery; },
};

const started = await auth(provider, { serverUrl: resourceUrl, resourceMetadataUrl });
if (started !== 'REDIRECT') {
  throw new Error(`expected the SDK to redirect to the authorization server, got ${started}`);
}
const code = (await lines.next()).value.trim();
const result = await auth(provider, { serverUrl: resourceUrl, resourceMetadataUrl, authorizationCode: code });
const answer = await fetch(resourceUrl, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
console.log(JSON.stringify({ result, status: answer.status, body: await answer.json(), tokens, discovery }));
process.exit(0);
