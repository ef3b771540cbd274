import { isTransientDatabaseError } from './transient-errors.js';

interface Waiting<Item, Outcome> {
  item: Item;
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes that arrive while one is in flight go out together as the next statement: one round trip
 * and one commit for many (a commit costs PostgreSQL about as much CPU as a small row's write). A
 * write that finds nothing in flight is sent at once, so batching adds no wait to a quiet instance;
 * under load the batches grow with what arrives during a round trip, up to `mostPerBatch`.
 *
 * `write` answers one outcome per item, in the items' order. When the database refuses a batch of
 * several (an SQL error: one item's bad value, a deadlock), its items are written again one by one,
 * so a write the database refuses fails only its own caller. An outage fails the whole batch with
 * its error, as it would each write alone: a statement whose connection broke may have committed
 * unseen, which its callers must be told rather than have it written again.
 */
export class WriteBatches<Item, Outcome> {
  private waiting: Waiting<Item, Outcome>[] = [];
  private inFlight = false;

  constructor(
    private readonly write: (items: Item[]) => Promise<Outcome[]>,
    private readonly mostPerBatch: number,
  ) {}

  add(item: Item): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.inFlight) void this.sendNext();
    });
  }

  private async sendNext(): Promise<void> {
    this.inFlight = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.mostPerBatch);
      try {
        const outcomes = await this.write(batch.map((waiting) => waiting.item));
        batch.forEach((waiting, index) => waiting.resolve(outcomes[index]));
      } catch (error) {
        if (batch.length === 1 || isTransientDatabaseError(error)) batch.forEach((waiting) => waiting.reject(error));
        else await Promise.all(batch.map((waiting) => this.writeAlone(waiting)));
      }
    }
    this.inFlight = false;
  }

  private async writeAlone({ item, resolve, reject }: Waiting<Item, Outcome>): Promise<void> {
    try {
      resolve((await this.write([item]))[0]);
    } catch (error) {
      reject(error);
    }
  }
}
