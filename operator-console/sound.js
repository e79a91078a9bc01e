// The critical cue: a distinct two-tone sound (Web Audio: no file to fetch) that repeats,
// every 15 s by default, while a critical case waits unaccepted. Browsers keep an audio
// context suspended until the page is touched, so it is resumed on the first key or click,
// and until then the page says the sound is off. Muting lasts 10 minutes by default, or until
// the next new critical case, whichever comes first: never a shift.
export class CriticalSound {
  constructor({ repeatMs = 15_000, muteMs = 600_000, onChange = () => {} } = {}) {
    this.repeatMs = repeatMs;
    this.muteMs = muteMs;
    this.onChange = onChange;
    this.context = null;
    this.mutedUntil = 0;
    this.repeater = null;
    this.played = 0;  // how many cues have been played (the tests count them)
  }

  // 'on', 'muted' or 'blocked' (the browser has not let the page play sound yet).
  get state() {
    if (Date.now() < this.mutedUntil) return 'muted';
    if (!this.context || this.context.state !== 'running') return 'blocked';
    return 'on';
  }

  // On the first key or click: the browser now lets the page play sound.
  unlock() {
    try {
      this.context ??= new AudioContext();
      if (this.context.state !== 'running') this.context.resume().then(() => this.onChange(), () => {});
    } catch {
      // No audio device: the visual cue still shows.
    }
    this.onChange();
  }

  mute() {
    this.mutedUntil = Date.now() + this.muteMs;
    this.onChange();
  }

  unmute() {
    this.mutedUntil = 0;
    this.onChange();
  }

  // A new critical case: ends any mute, and plays at once.
  newCritical() {
    this.mutedUntil = 0;
    this.play();
    this.onChange();
  }

  // Repeats while `waiting` (a critical case not yet accepted), stops otherwise.
  keepGoing(waiting) {
    if (waiting && !this.repeater) this.repeater = setInterval(() => this.play(), this.repeatMs);
    if (!waiting && this.repeater) {
      clearInterval(this.repeater);
      this.repeater = null;
    }
  }

  stop() {
    this.keepGoing(false);
    this.context?.close().catch(() => {});
  }

  play() {
    if (Date.now() < this.mutedUntil) return;
    this.played += 1;
    try {
      this.context ??= new AudioContext();
      const start = this.context.currentTime;
      for (const [offset, frequency] of [[0, 880], [0.18, 660], [0.36, 880]]) {
        const tone = this.context.createOscillator();
        const gain = this.context.createGain();
        tone.frequency.value = frequency;
        gain.gain.setValueAtTime(0.2, start + offset);
        gain.gain.exponentialRampToValueAtTime(0.001, start + offset + 0.16);
        tone.connect(gain).connect(this.context.destination);
        tone.start(start + offset);
        tone.stop(start + offset + 0.17);
      }
    } catch {
      // No audio device: the visual cue still shows.
    }
    this.onChange();
  }
}
