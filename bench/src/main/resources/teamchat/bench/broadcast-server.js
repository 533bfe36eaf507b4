// The reference peer of ./chat bench: the smallest server that speaks chatserv's protocol subset
// the load generator uses (hello, auth -> welcome, subscribe -> subscribed, send -> ack + message
// to every follower of the room), on npm's ws. It signs sockets in as chatserv does, by the token:
// given auth's key set, it checks each token's RS256 signature, issuer, audience and expiry with
// Node's own crypto (chatserv also checks the session and room membership, which this does not).
// No persistence: it shows what fan-out alone costs on this machine. Each frame is encoded once
// per room, as ws users do.
//
// node broadcast-server.js PORT [JWKS_URL ISSUER AUDIENCE]  (without a key set, any token passes)
'use strict';
const crypto = require('crypto');
const { WebSocketServer } = require('ws');

const [portArgument, jwksUrl, issuer, audience] = process.argv.slice(2);
const keys = new Map();

/** The claims of a valid token, or null. */
function verified(token) {
  if (!jwksUrl) return { sub: 'u' };
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url'));
    const key = header.alg === 'RS256' ? keys.get(header.kid) : undefined;
    if (!key) return null;
    const signed = Buffer.from(parts[0] + '.' + parts[1]);
    if (!crypto.verify('sha256', signed, key, Buffer.from(parts[2], 'base64url'))) return null;
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url'));
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const ok = claims.iss === issuer && audiences.includes(audience) && claims.exp > Date.now() / 1000;
    return ok ? claims : null;
  } catch (e) {
    return null;
  }
}

const rooms = new Map();
const lastSeq = new Map();
let lastId = 0;

async function start() {
  if (jwksUrl) {
    const answer = await fetch(jwksUrl);
    for (const jwk of (await answer.json()).keys) {
      keys.set(jwk.kid, crypto.createPublicKey({ key: jwk, format: 'jwk' }));
    }
  }
  const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(portArgument || 0), perMessageDeflate: false });
  wss.on('listening', () => console.log('listening on ' + wss.address().port));
  wss.on('connection', serve);
}

function serve(ws) {
  ws.rooms = new Set();
  ws.send(JSON.stringify({ type: 'hello', protocol: 1, time: Date.now(), auth_timeout_ms: 5000 }));
  ws.on('message', (data) => {
    let f;
    try { f = JSON.parse(data); } catch (e) { ws.close(1007, 'invalid_json'); return; }
    if (f.type === 'auth') {
      const claims = verified(f.token);
      if (!claims) { ws.close(1008, 'token_invalid'); return; }
      ws.send(JSON.stringify({ type: 'welcome', user: { id: claims.sub, name: claims.sub }, expires: Date.now() + 900000 }));
    } else if (f.type === 'subscribe') {
      if (!rooms.has(f.room)) rooms.set(f.room, new Set());
      rooms.get(f.room).add(ws);
      ws.rooms.add(f.room);
      ws.send(JSON.stringify({ type: 'subscribed', room: f.room, last_seq: lastSeq.get(f.room) || 0 }));
    } else if (f.type === 'send') {
      const seq = (lastSeq.get(f.room) || 0) + 1;
      lastSeq.set(f.room, seq);
      const id = ++lastId;
      const time = Date.now();
      ws.send(JSON.stringify({ type: 'ack', client_msg_id: f.client_msg_id, id, room: f.room, seq, time }));
      const text = JSON.stringify({ type: 'message', room: f.room, seq, id, sender: 'u', client_msg_id: f.client_msg_id, body: f.body, time });
      for (const peer of rooms.get(f.room) || []) peer.send(text);
    }
  });
  ws.on('close', () => { for (const r of ws.rooms) rooms.get(r).delete(ws); });
}

start().catch((e) => { console.log('failed: ' + e); process.exit(1); });
