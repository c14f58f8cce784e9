// GraphQL multipart uploads (uploadMedia) are parsed by Yoga, which holds each file in memory
// until the resolver streams it to the media store. One request is capped by the upload size
// limit; this caps them all together, so that concurrent uploads cannot add up past what the
// operator allows. A request that does not fit is refused at once (503, Retry-After) before
// any of its body is read: waiting would hold its socket and its client's data anyway.

export class MemoryBudget {
  private used = 0;

  constructor(readonly limitBytes: number) {}

  /** Reserves `bytes`; returns the release function, or undefined when they do not fit. */
  tryTake(bytes: number): (() => void) | undefined {
    if (this.used + bytes > this.limitBytes) return undefined;
    this.used += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= bytes;
    };
  }

  get usedBytes(): number {
    return this.used;
  }
}
