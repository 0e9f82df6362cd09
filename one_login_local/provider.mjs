// A local OpenID provider that behaves like GOV.UK One Login, for the tests and `make run`.
//
// It is `oidc-provider` (a certified OpenID provider, pinned in package.json) configured the way GOV.UK One
// Login's technical documentation describes its integration:
// - the authorisation code flow only; the client authenticates at the token endpoint with
//   `private_key_jwt` only (its public key comes from OL_CLIENT_PUBLIC_KEY_FILE);
// - `nonce` is required, `state` is returned; `vtr` is a JSON array of credential levels such as
//   `["Cl.Cm"]` (default `["Cl.Cm"]`); `ui_locales` is accepted (`en` or `cy`);
// - the ID token is signed with ES256 and carries `vot` (the level achieved) and `vtm` (the trustmark
//   URL, `<issuer>/trustmark`); scopes `openid email phone`; userinfo gives `sub`, `email`,
//   `email_verified`, `phone_number`, `phone_number_verified`;
// - RP-initiated logout at the end-session endpoint (`id_token_hint`, `post_logout_redirect_uri`,
//   `state`) and OpenID Back-Channel Logout 1.0 to the client's back-channel logout URI (the logout
//   token carries `sub`, not `sid`).
//
// What differs from the real service: anyone can sign in by typing an email address (no password, no
// second factor, no identity checks); the person's subject is `urn:fdc:gov.uk:2022:` + base64url(SHA-256
// of the lowercased email); their phone number is always +447700900123. The level achieved is the
// strongest level the request's `vtr` asked for, except for an email whose local part starts with
// `low-confidence`: that person only ever achieves "Cl", so a client's refusal of a lower level can be
// tested. Identity levels (P1, P2...) are refused. Everything is held in memory and the signing key is
// made afresh at every start: restarting the provider signs everyone out of it.
//
// Configuration (environment): OL_HOST (default 127.0.0.1), OL_PUBLIC_HOST (the issuer's host name, default
// OL_HOST), OL_PORT (default 0: any free port),
// OL_CLIENT_ID, OL_CLIENT_PUBLIC_KEY_FILE (PEM, RSA or EC), OL_REDIRECT_URIS and
// OL_POST_LOGOUT_REDIRECT_URIS (comma-separated), OL_BACKCHANNEL_LOGOUT_URI.
// Once listening it prints one line of JSON to stdout, {"issuer": "http://host:port"}; SIGTERM stops it.
// Its cookies are named `one_login_local_*`, so they never clash with a client's own cookies on the same
// host (cookies are shared between ports of one host).

import { createHash, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import { Provider, errors, interactionPolicy } from 'oidc-provider';

import { escape, page, signInPage, signOutPage } from './pages.mjs';

const LEVELS = ['Cl', 'Cl.Cm']; // weakest first
const DEFAULT_VTR = '["Cl.Cm"]';
const PHONE_NUMBER = '+447700900123';

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} must be set`);
    process.exit(2);
  }
  return value;
}

function list(name) {
  return (process.env[name] || '').split(',').map((item) => item.trim()).filter(Boolean);
}

/** The subject One Login would give this email: stable, opaque, the same whatever the case. */
export function subjectFor(email) {
  return `urn:fdc:gov.uk:2022:${createHash('sha256').update(email.toLowerCase()).digest('base64url')}`;
}

/** The levels a `vtr` parameter asks for, or an error message. */
function parseVtr(value) {
  let levels;
  try {
    levels = JSON.parse(value ?? DEFAULT_VTR);
  } catch {
    return 'vtr must be a JSON array such as ["Cl.Cm"]';
  }
  if (!Array.isArray(levels) || levels.length === 0) {
    return 'vtr must be a non-empty JSON array such as ["Cl.Cm"]';
  }
  for (const level of levels) {
    if (!LEVELS.includes(level)) {
      return `vtr level ${JSON.stringify(level)} is not offered here (only "Cl" and "Cl.Cm")`;
    }
  }
  return levels;
}

function strongest(levels) {
  return levels.reduce((best, level) => (LEVELS.indexOf(level) > LEVELS.indexOf(best) ? level : best));
}

/** The level this person achieves when the request asked for `vtr`. */
function achievedLevel(email, vtr) {
  if (email.split('@')[0].toLowerCase().startsWith('low-confidence')) {
    return 'Cl';
  }
  return strongest(parseVtr(vtr));
}

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 16 * 1024) {
      throw new Error('form too large');
    }
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

const host = process.env.OL_HOST || '127.0.0.1';
// The host name in the issuer (and so in every URL the provider gives), when it differs from the address it
// listens on: `localhost` makes the browser treat the provider and a portal on 127.0.0.1 as two sites.
const publicHost = process.env.OL_PUBLIC_HOST || host;
const port = Number(process.env.OL_PORT || 0);
const clientId = required('OL_CLIENT_ID');
const clientKey = createPublicKey(readFileSync(required('OL_CLIENT_PUBLIC_KEY_FILE'), 'utf8'));
const backchannelLogoutUri = process.env.OL_BACKCHANNEL_LOGOUT_URI || undefined;

const accounts = new Map(); // subject -> email as entered
let handler = (req, res) => send(res, 503, 'Starting');
const server = createServer((req, res) => handler(req, res));

server.listen(port, host, () => {
  const issuer = `http://${publicHost}:${server.address().port}`;
  const provider = makeProvider(issuer);
  const callback = provider.callback();
  handler = (req, res) => {
    const path = new URL(req.url, issuer).pathname;
    if (path === '/trustmark') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ idp: issuer, trustmark_provider: issuer, C: LEVELS, P: ['P0'] }));
      return;
    }
    if (path.startsWith('/interaction/')) {
      interaction(provider, req, res).catch((err) => {
        console.error('interaction failed:', err);
        if (!res.headersSent) {
          send(res, 400, page('Sorry, there is a problem', `<p>${escape(err.message)}</p>`));
        }
      });
      return;
    }
    callback(req, res);
  };
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

function makeProvider(issuer) {
  const trustmark = `${issuer}/trustmark`;
  const signingKey = {
    ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
    kid: randomBytes(8).toString('hex'),
    alg: 'ES256',
    use: 'sig',
  };

  // A new sign-in is needed when an earlier sign-in's level is weaker than the one now asked for.
  const policy = interactionPolicy.base();
  policy.get('login').checks.add(new interactionPolicy.Check(
    'vtr_not_met',
    'the session does not meet the requested level',
    (ctx) => {
      const { session, params, result } = ctx.oidc;
      // Not straight after this request's own sign-in (someone may achieve less than was asked for).
      if (!session.accountId || result?.login) {
        return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      }
      const requested = strongest(parseVtr(params.vtr));
      return LEVELS.indexOf(session.acr) < LEVELS.indexOf(requested);
    },
  ));

  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [clientKey.export({ format: 'jwk' })] },
      redirect_uris: list('OL_REDIRECT_URIS'),
      post_logout_redirect_uris: list('OL_POST_LOGOUT_REDIRECT_URIS'),
      backchannel_logout_uri: backchannelLogoutUri,
      backchannel_logout_session_required: false,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
      // One Login puts auth_time (when the person last signed in there) in every ID token.
      require_auth_time: true,
    }],
    clientAuthMethods: ['private_key_jwt'],
    responseTypes: ['code'],
    scopes: ['openid', 'email', 'phone'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      phone: ['phone_number', 'phone_number_verified'],
    },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    jwks: { keys: [signingKey] },
    pkce: { required: () => false },
    extraParams: {
      // One Login refuses a request without a nonce, and a vtr it cannot read.
      async vtr(ctx, value) {
        if (!ctx.oidc.params.nonce) {
          throw new errors.InvalidRequest('nonce is required');
        }
        const levels = parseVtr(value);
        if (typeof levels === 'string') {
          throw new errors.InvalidRequest(levels);
        }
      },
    },
    discovery: {
      trustmarks: trustmark,
      ui_locales_supported: ['en', 'cy'],
      service_documentation: 'https://docs.sign-in.service.gov.uk/',
    },
    routes: {
      authorization: '/authorize',
      userinfo: '/userinfo',
      end_session: '/logout',
      jwks: '/.well-known/jwks.json',
    },
    cookies: {
      names: {
        session: 'one_login_local_session',
        interaction: 'one_login_local_interaction',
        resume: 'one_login_local_resume',
      },
      keys: [randomBytes(32).toString('hex')],
    },
    ttl: {
      AccessToken: 180,
      AuthorizationCode: 300,
      IdToken: 300,
      Interaction: 3600,
      Session: 3600,
      Grant: 3600,
    },
    interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = 'html';
          ctx.body = signOutPage(form);
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = 'html';
          ctx.body = page('You have signed out', '<p>You have signed out of GOV.UK One Login (local).</p>');
        },
      },
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      const rows = Object.entries(out)
        .map(([key, value]) => `<p><strong>${escape(key)}</strong>: ${escape(value)}</p>`);
      ctx.body = page('Sorry, there is a problem', rows.join(''));
    },
    findAccount: async (ctx, sub) => {
      const email = accounts.get(sub);
      if (email === undefined) {
        return undefined;
      }
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            email,
            email_verified: true,
            phone_number: PHONE_NUMBER,
            phone_number_verified: true,
          };
        },
      };
    },
    // Outgoing requests are the back-channel logout tokens only: let them reach the configured client on
    // this machine (oidc-provider refuses loopback addresses by default).
    fetch: (url, options) => {
      if (backchannelLogoutUri && url === new URL(backchannelLogoutUri).href) {
        const loopback = { ...options };
        delete loopback.dispatcher;
        return globalThis.fetch(url, loopback);
      }
      return globalThis.fetch(url, options);
    },
  });

  // The level achieved travels as the authentication's `acr` inside the provider and leaves in the ID
  // token as One Login's `vot`, with the trustmark `vtm`.
  const { payload } = provider.IdToken.prototype;
  provider.IdToken.prototype.payload = async function idTokenPayload() {
    const claims = await payload.call(this);
    if (this.available.acr !== undefined) {
      claims.vot = this.available.acr;
      claims.vtm = trustmark;
      delete claims.acr;
    }
    return claims;
  };

  provider.on('server_error', (ctx, err) => console.error('server error:', err));
  provider.on('backchannel.error', (ctx, err) => console.error('back-channel logout failed:', err.message));
  return provider;
}

/** The sign-in page (GET) and its form (POST); grants what was asked without a consent page. */
async function interaction(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params, session } = details;
  if (prompt.name === 'login') {
    if (req.method !== 'POST') {
      send(res, 200, signInPage(uid, params.ui_locales, '', ''));
      return;
    }
    const form = await readForm(req);
    const email = (form.get('email') || '').trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      const message = email ? 'Enter an email address in the correct format, like name@example.com' : 'Enter your email address';
      send(res, 400, signInPage(uid, params.ui_locales, email, message));
      return;
    }
    const accountId = subjectFor(email);
    accounts.set(accountId, email);
    const grantId = await grantAll(provider, details, accountId);
    await provider.interactionFinished(req, res, {
      login: { accountId, acr: achievedLevel(email, params.vtr), amr: ['pwd'] },
      consent: { grantId },
    }, { mergeWithLastSubmission: false });
    return;
  }
  // Consent (new scopes for a signed-in person): granted without asking, as One Login does.
  const grantId = await grantAll(provider, details, session.accountId);
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

async function grantAll(provider, details, accountId) {
  const { params, grantId } = details;
  let grant = grantId ? await provider.Grant.find(grantId) : undefined;
  if (!grant || grant.accountId !== accountId) {
    grant = new provider.Grant({ clientId: params.client_id, accountId });
  }
  grant.addOIDCScope(String(params.scope || 'openid'));
  return grant.save();
}
