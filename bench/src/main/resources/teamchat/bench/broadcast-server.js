// The reference peer of ./chat bench: the smallest server that speaks chatserv's protocol subset
// the load generator uses (hello, auth -> welcome, subscribe -> subscribed, send -> ack + message
// to every follower of the room), on npm's ws. No token check and no persistence: it shows what
// fan-out alone costs on this machine. Each frame is encoded once per room, as ws users do.
'use strict';
const { WebSocketServer } = require('ws');

const rooms = new Map();
const lastSeq = new Map();
let lastId = 0;
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.argv[2] || 0), perMessageDeflate: false });
wss.on('listening', () => console.log('listening on ' + wss.address().port));
wss.on('connection', (ws) => {
  ws.rooms = new Set();
  ws.send(JSON.stringify({ type: 'hello', protocol: 1, time: Date.now(), auth_timeout_ms: 5000 }));
  ws.on('message', (data) => {
    let f;
    try { f = JSON.parse(data); } catch (e) { ws.close(1007, 'invalid_json'); return; }
    if (f.type === 'auth') {
      ws.send(JSON.stringify({ type: 'welcome', user: { id: 'u', name: 'u' }, expires: Date.now() + 900000 }));
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
});
