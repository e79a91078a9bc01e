// The live link to the server over /ws: applies the snapshot and then each update in
// version order; on a version gap asks for a fresh snapshot; reconnects by itself. Sends
// commands and hands each its result, which the server sends once the change is durable.

export class ConsoleConnection {
  constructor({ onState, onStatus, onLoggedOut, onFloor }) {
    this.onState = onState;
    this.onStatus = onStatus;
    this.onLoggedOut = onLoggedOut;
    this.onFloor = onFloor;
    this.cases = new Map();
    this.resolved = new Map();
    this.access = new Map();
    this.version = null;
    this.clockOffsetMs = 0;
    this.operator = null;
    this.presence = 'ready';
    this.vocabulary = { outcomes: [], contact_targets: [], contact_methods: [], contact_results: [] };
    this.operators = [];
    this.centre = {};
    this.cannedNotes = [];
    this.devices = new Map();  // device id -> {status, error, at, pending}: health for the card
    this.pending = new Map();
    this.nextRequest = 1;
    this.retryMs = 500;
    this.closedByUs = false;
  }

  open() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    this.socket = new WebSocket(`${scheme}://${location.host}/ws`);
    this.onStatus('connecting');
    this.socket.addEventListener('open', () => {
      this.retryMs = 500;
      this.onStatus('live');
    });
    // A frame holds one or more messages, one per line.
    this.socket.addEventListener('message', (event) => {
      for (const line of event.data.split('\n')) this.receive(JSON.parse(line));
    });
    this.socket.addEventListener('close', () => this.reconnect());
  }

  close() {
    this.closedByUs = true;
    this.socket?.close();
  }

  async reconnect() {
    for (const answer of this.pending.values()) answer({ ok: false, error: 'the connection was lost: try again' });
    this.pending.clear();
    if (this.closedByUs) return;
    this.onStatus('reconnecting');
    this.version = null;
    // A refused upgrade looks like a close: check whether the login has lapsed.
    const me = await fetch('/api/v1/me', { credentials: 'same-origin' }).catch(() => null);
    if (me && me.status === 401) {
      this.onLoggedOut();
      return;
    }
    setTimeout(() => this.open(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 5000);
  }

  // Resolves with {ok, error} once the server has stored the change (or refused it).
  command(type, caseId, fields = {}) {
    return this.request(type, { case_id: caseId, ...fields });
  }

  // Any request with an answer: {ok, error}, or for find_person {ok, matches, more}, for
  // open_person {ok, card}, for device_status {ok, status}.
  request(type, fields = {}) {
    if (this.socket?.readyState !== WebSocket.OPEN) return Promise.resolve({ ok: false, error: 'not connected' });
    const requestId = `r${this.nextRequest++}`;
    return new Promise((answer) => {
      this.pending.set(requestId, answer);
      this.socket.send(JSON.stringify({ type, request_id: requestId, ...fields }));
    });
  }

  // The device's health as last fetched (or nothing yet); fetched again when older than
  // `maxAgeMs`, and the page redrawn when it comes.
  deviceStatus(deviceId, maxAgeMs = 60_000) {
    const known = this.devices.get(deviceId);
    if (!known || (!known.pending && Date.now() - known.at > maxAgeMs)) {
      this.devices.set(deviceId, { ...known, pending: true, at: known?.at || 0 });
      this.request('device_status', { device_id: deviceId }).then((reply) => {
        this.devices.set(deviceId, { status: reply.status, error: reply.error, at: Date.now(), pending: false });
        this.onState(this);
      });
    }
    return known?.status;
  }

  answer(requestId, reply) {
    const answer = this.pending.get(requestId);
    this.pending.delete(requestId);
    answer?.(reply);
  }

  setPresence(presence) {
    this.socket?.send(JSON.stringify({ type: 'presence', presence }));
  }

  receive(message) {
    if (message.type === 'result') {
      this.answer(message.request_id, { ok: message.ok, error: message.error });
    } else if (message.people) {
      this.answer(message.people.request_id, { ok: true, matches: message.people.matches || [], more: Number(message.people.more || 0) });
    } else if (message.device_status) {
      this.answer(message.device_status.request_id, { ok: true, status: message.device_status });
    } else if (message.person_opened) {
      this.answer(message.person_opened.request_id, { ok: true, card: message.person_opened.card });
    } else if (message.snapshot) {
      this.applySnapshot(message.snapshot);
    } else if (message.update) {
      this.applyUpdate(message.update);
    } else if (message.access) {
      this.access.set(message.access.case_id, message.access.access);
      this.onState(this);
    } else if (message.presence) {
      this.presence = message.presence.presence;
      this.onState(this);
    } else if (message.floor) {
      this.onFloor?.(message.floor);
    } else if (message.error) {
      console.warn('server:', message.error.message);
    }
  }

  applySnapshot(snapshot) {
    this.version = Number(snapshot.version);
    this.clockOffsetMs = Number(snapshot.server_time_ms) - Date.now();
    this.operator = snapshot.operator;
    this.presence = snapshot.presence;
    this.cases = new Map(snapshot.cases.map((c) => [c.case_id, c]));
    this.resolved = new Map(snapshot.recently_resolved.map((c) => [c.case_id, c]));
    this.access = new Map(snapshot.access.map((a) => [a.case_id, a.access]));
    this.vocabulary = {
      outcomes: snapshot.outcomes, contact_targets: snapshot.contact_targets,
      contact_methods: snapshot.contact_methods, contact_results: snapshot.contact_results,
    };
    this.operators = snapshot.operators;
    this.centre = snapshot.centre || {};
    this.cannedNotes = snapshot.canned_notes || [];
    this.onState(this);
  }

  applyUpdate(update) {
    if (this.version === null) return;  // waiting for a snapshot
    if (Number(update.version) !== this.version + 1) {
      this.version = null;
      this.socket.send(JSON.stringify({ type: 'resync' }));
      return;
    }
    this.version = Number(update.version);
    this.clockOffsetMs = Number(update.server_time_ms) - Date.now();
    const earlier = this.cases.get(update.case.case_id) || this.resolved.get(update.case.case_id);
    const isNew = !earlier;
    // Only what changed comes: the entries from timeline_from on replace ours, and a partial
    // update leaves out every field that is as we have it.
    const from = Number(update.case.timeline_from || 0);
    const partial = Boolean(update.case.partial);
    if ((from > 0 || partial) && (!earlier || (earlier.timeline || []).length < from)) {
      this.version = null;
      this.socket.send(JSON.stringify({ type: 'resync' }));
      return;
    }
    const c = partial ? { ...earlier, ...update.case } : update.case;
    if (from > 0) c.timeline = earlier.timeline.slice(0, from).concat(update.case.timeline || []);
    if (partial) {
      for (const name of update.case.cleared || []) delete c[name];
      if (update.case.person) c.device = update.case.device;  // the card and its device come together
      delete c.partial;
      delete c.cleared;
      delete c.timeline_from;  // this update's, not the case's
    } else if (!c.person && earlier) {
      // The person's card comes with the update that opens a case; later ones leave it out.
      c.person = earlier.person;
      c.device = earlier.device;
    }
    if (c.state === 'resolved') {
      this.cases.delete(c.case_id);
      this.resolved.set(c.case_id, c);
    } else {
      this.resolved.delete(c.case_id);
      this.cases.set(c.case_id, c);
    }
    // Access details belong to the owner only: drop them as soon as the case moves on.
    if (c.owner !== this.operator?.username) this.access.delete(c.case_id);
    this.onState(this, c, isNew, earlier);
  }

  serverNow() {
    return Date.now() + this.clockOffsetMs;
  }
}
