// When to grab liveness frames: `frame_count` frames spread evenly over the moves of the challenge, each move
// getting its share (earlier moves take the remainder), taken in the second half of each move's prompt when
// the head is actually turned, and never two in the same instant.

export interface FrameSlot {
  /** Index of the move in the challenge sequence. */
  move: number;
  /** Milliseconds after the start of that move's prompt. */
  atMs: number;
}

export function planLivenessFrames(moves: number, frameCount: number, moveMs: number): FrameSlot[] {
  if (moves <= 0 || frameCount <= 0) return [];
  const base = Math.floor(frameCount / moves);
  const extra = frameCount % moves;
  const slots: FrameSlot[] = [];
  for (let move = 0; move < moves; move++) {
    const count = base + (move < extra ? 1 : 0);
    // Spread over [35 %, 95 %] of the prompt: the first instant is still the previous pose.
    const start = moveMs * 0.35;
    const span = moveMs * 0.6;
    for (let i = 0; i < count; i++) {
      const at = count === 1 ? start + span / 2 : start + (span * i) / (count - 1);
      slots.push({ move, atMs: Math.round(at) });
    }
  }
  return slots;
}
