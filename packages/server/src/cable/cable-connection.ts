// One applicant socket's subscription to its session: confirm, current preflight, pushes in sequence order.
import type { Buffer } from 'node:buffer';
import type { Preflight } from '@tessera/protocol';
import type { SessionChange } from '../bus/bus.ts';
import { confirmFrame, preflightFrame, rejectFrame } from './cable-frames.ts';
import { CableSocket, OPEN } from './cable-socket.ts';
import { parseClientFrame } from './parse-client-frame.ts';

export class CableConnection extends CableSocket {
  /** The one subscription of this socket (ours: the channel has no parameters, so one is all a client needs). */
  #identifier: string | null = null;
  /** Until the first confirm, pushes wait here (newest only) so confirm_subscription always comes first. */
  #confirmed = false;
  #held: Preflight | null = null;
  #busOff: (() => void) | null = null;
  /** Highest `sequence` sent on this socket, and how many preflights were sent: together they decide what is stale. */
  #lastSequence = -1;
  #pushes = 0;
  readonly #onChange = (change: SessionChange): void => this.#push(change.preflight, false);

  protected handle(buffer: Buffer): void {
    const frame = parseClientFrame(buffer.toString('utf8'));
    switch (frame.kind) {
      case 'ignored':
        return this.ignore(frame.reason);
      case 'preflight':
        if (this.#identifier !== null) void this.#answer(false);
        return; // before any subscription there is nowhere to push it
      case 'subscribe':
        return this.#subscribe(frame.identifier, frame.ours);
      case 'unsubscribe':
        if (frame.identifier === this.#identifier) this.release();
        return;
      case 'perform':
        if (frame.identifier !== this.#identifier) return this.ignore('not_subscribed');
        if (frame.action !== 'preflight') return this.ignore('unknown_action');
        return void this.#answer(false);
    }
  }

  protected release(): void {
    this.#identifier = null;
    this.#confirmed = false;
    this.#held = null;
    this.#busOff?.();
    this.#busOff = null;
  }

  #subscribe(identifier: string, ours: boolean): void {
    // A second, different subscription on one socket is refused; the same one again is a client retry: answered again.
    if (!ours || (this.#identifier !== null && this.#identifier !== identifier)) {
      return this.send(rejectFrame(identifier));
    }
    if (this.#identifier === null && this.sessionId !== null) {
      this.#identifier = identifier;
      // On the bus before loading, so a change landing during the load is not missed.
      this.#busOff = this.host.bus.subscribe(this.sessionId, this.#onChange);
    }
    void this.#answer(true);
  }

  /** Answers a subscribe (confirm first) or a `preflight` request with the current preflight. */
  async #answer(confirm: boolean): Promise<void> {
    const pushesBefore = this.#pushes;
    const found = await this.load('preflight load');
    if (found === null || this.state !== OPEN || this.#identifier === null) return;
    if (found === 'unknown' || found === 'gone') return this.reject();
    if (confirm) {
      this.send(confirmFrame(this.#identifier));
      this.#confirmed = true;
      const held = this.#held;
      this.#held = null;
      return this.#push(held !== null && held.sequence > found.sequence ? held : found, true);
    }
    // A push sent while loading already answered the request with this state or a newer one.
    if (found.sequence === this.#lastSequence && this.#pushes !== pushesBefore) return;
    this.#push(found, true);
  }

  /** Never sends a payload older than one already sent; a change (not a request) must also be strictly newer. */
  #push(preflight: Preflight, requested: boolean): void {
    if (this.state !== OPEN || this.#identifier === null) return;
    if (preflight.sequence < this.#lastSequence || (!requested && preflight.sequence === this.#lastSequence)) return;
    if (!this.#confirmed) {
      if (this.#held === null || preflight.sequence > this.#held.sequence) this.#held = preflight;
      return;
    }
    this.#lastSequence = preflight.sequence;
    this.#pushes += 1;
    this.send(preflightFrame(this.#identifier, preflight));
  }
}
