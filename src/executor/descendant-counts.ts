interface Tree {
  /** What the database held when this instance first created a child of the tree. */
  stored: Promise<number> | undefined;
  /** Child runs created here since (reserved, counting those being inserted). */
  created: number;
  /** Parent walks of the tree going on here: the count is dropped when the last one ends. */
  walks: number;
}

/**
 * Child runs per root run, for MAX_DESCENDANT_RUNS. A tree's children execute in their parent's
 * process, so one instance creates them all and counts them in memory, starting from what is
 * stored (a resumed tree). Counting in the database instead would make every child insert update
 * the root's row, and a map's children would queue on that one row lock. Should parts of one
 * tree be taken over by different instances at once, each counts from what was stored when it
 * started: the limit can then be passed by what the others create meanwhile.
 */
export class DescendantCounts {
  private readonly trees = new Map<string, Tree>();

  constructor(private readonly storedCount: (root: string) => Promise<number>) {}

  open(root: string): void {
    const tree = this.trees.get(root) ?? { stored: undefined, created: 0, walks: 0 };
    tree.walks++;
    this.trees.set(root, tree);
  }

  close(root: string): void {
    const tree = this.trees.get(root);
    if (tree && --tree.walks === 0) this.trees.delete(root);
  }

  /** Counts one more child of an open tree; false when that would pass `limit`. */
  async reserve(root: string, limit: number): Promise<boolean> {
    const tree = this.trees.get(root);
    if (!tree) throw new Error(`run tree ${root} is not open here`);
    tree.stored ??= this.storedCount(root);
    let stored: number;
    try {
      stored = await tree.stored;
    } catch (error) {
      tree.stored = undefined; // read again next time: the database may be back
      throw error;
    }
    if (stored + tree.created >= limit) return false;
    tree.created++;
    return true;
  }

  unreserve(root: string): void {
    const tree = this.trees.get(root);
    if (tree) tree.created--;
  }
}
