// The live link to the server over /ws: applies the snapshot and then each update in
// version order; on a version gap asks for a fresh snapshot; reconnects by itself.

export class ConsoleConnection {
  constructor({ onState, onStatus, onLoggedOut }) {
    this.onState = onState;
    this.onStatus = onStatus;
    this.onLoggedOut = onLoggedOut;
    this.cases = new Map();
    this.version = null;
    this.clockOffsetMs = 0;
    this.operator = null;
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
    this.socket.addEventListener('message', (event) => this.receive(JSON.parse(event.data)));
    this.socket.addEventListener('close', () => this.reconnect());
  }

  close() {
    this.closedByUs = true;
    this.socket?.close();
  }

  async reconnect() {
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

  receive(message) {
    if (message.snapshot) {
      const snapshot = message.snapshot;
      this.version = Number(snapshot.version);
      this.clockOffsetMs = Number(snapshot.server_time_ms) - Date.now();
      this.operator = snapshot.operator;
      this.cases = new Map(snapshot.cases.map((c) => [c.case_id, c]));
      this.onState(this);
    } else if (message.update) {
      const update = message.update;
      if (this.version === null) return;  // waiting for a snapshot
      if (Number(update.version) !== this.version + 1) {
        this.version = null;
        this.socket.send(JSON.stringify({ resync: {} }));
        return;
      }
      this.version = Number(update.version);
      this.clockOffsetMs = Number(update.server_time_ms) - Date.now();
      const c = update.case;
      if (c.state === 'resolved') this.cases.delete(c.case_id);
      else this.cases.set(c.case_id, c);
      this.onState(this, c);
    } else if (message.error) {
      console.warn('server:', message.error.message);
    }
  }

  serverNow() {
    return Date.now() + this.clockOffsetMs;
  }
}
