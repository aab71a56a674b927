import { AssertionError } from 'node:assert';

/**
 * Waits for `check` to pass: retried until it stops throwing an assertion error, or fails with
 * its last error once `timeoutMs` (generous: a slow machine only makes it later) runs out. For
 * what a test expects to happen, instead of sleeping a fixed margin and asserting.
 */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (!(error instanceof AssertionError) || Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
