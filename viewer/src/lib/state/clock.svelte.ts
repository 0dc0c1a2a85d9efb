/**
 * A shared "now" for relative times and for running spans that grow: one timer for the
 * whole app, fast (250 ms) only while something is running.
 */
class Clock {
  now = $state(Date.now());
  private fastUsers = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor() {
    this.schedule();
  }

  /** Asks for fast ticks (running spans on screen); returns the release function. */
  fast(): () => void {
    this.fastUsers++;
    this.schedule();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.fastUsers--;
      this.schedule();
    };
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => (this.now = Date.now()), this.fastUsers > 0 ? 250 : 5000);
    this.now = Date.now();
  }
}

export const clock = new Clock();
