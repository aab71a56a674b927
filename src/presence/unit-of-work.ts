import type { AnnouncedChange, AnnouncedEvent, ChangeRecorder } from '../availability/changes.js';
import { newRound, type Done, type Drainer, type Round, type RoundRead, type Work } from './work.js';
import { isDatabaseUnavailable } from '../db/availability.js';
import type { OpenDatabase } from '../db/database.js';
import { runIn, type Run } from '../db/prepared.js';
import type { AnnouncementStore } from './announcement-store.js';
import type { LoggedEvent } from './event-store.js';
import { judgeMembers } from './judge.js';
import type { LivenessSettings } from './liveness.js';
import type { MemberReads, MemberPresenceRow } from './member-store.js';
import type { DeviceStore } from './device-store.js';
import { agentKey } from './agent-key.js';
import { foldPosts, foldStatusUpdates, rounds, standingOf } from './rounds.js';
import type { PresenceStore, Standing } from './store.js';

export type { SaidEvent, Work } from './work.js';

/** What a unit of work decided for one chatbot, handed on once it committed. */
export interface Outcome {
  chatbotId: string;
  /** Whether the unit wrote anything of the chatbot's (caches of its list go stale). */
  wrote: boolean;
  /** Each agent judged, with the next moment its entry changes by itself. */
  decided: Array<{ agentId: string; nextChangeAt: number | null }>;
  /** Agents announced as removed (no longer members). */
  removed: string[];
  /** The events logged, in version order: the stream hub delivers them without reading them back. */
  logged: LoggedEvent[];
}

/** The most works one unit takes: a burst is committed in several units rather than one long transaction. */
const MAX_WORKS_PER_UNIT = 512;

interface Queued {
  work: Work;
  resolve(done: Done<unknown>): void;
  reject(error: unknown): void;
}

/**
 * The unit of work that judges and announces. Works submitted while a unit runs wait, and the
 * next unit takes them all (up to MAX_WORKS_PER_UNIT): one transaction, on PostgreSQL with the
 * locks of every chatbot it touches taken with its BEGIN (OpenDatabase.section), so its cost in
 * statements (and on PostgreSQL in round trips) stays the same however many changes it carries. Inside, works go
 * in rounds (see rounds.ts: the agents' works of a chatbot share one round between its whole
 * chatbot works): a round writes (its device posts and status updates each as one statement,
 * folded to one row per agent and device), reads the members it judges in one statement,
 * judges them (judge.ts) and announces what is news: claimed once across instances, given the
 * chatbot's next versions, and handed to every recorder (event log, history, webhook outbox).
 * So each visible change is announced exactly once, in order, and a unit of status updates is
 * a fixed number of statements however many it carries and however often one agent repeats.
 * Answered only once committed: a write answered is durable.
 *
 * If a unit fails, the failing work is set apart and the others are tried again together
 * (runUnit), so that one bad write (an agent removed meanwhile) neither fails the others nor
 * costs a transaction for each of them.
 */
export function unitOfWork(
  database: Pick<OpenDatabase, 'dialect' | 'section'>,
  stores: { presence: PresenceStore; devices: DeviceStore; members: MemberReads; announcements: AnnouncementStore },
  recorders: readonly ChangeRecorder[],
  liveness: LivenessSettings,
  now: () => number,
  published: (outcome: Outcome) => void,
) {
  const queue: Queued[] = [];
  let drainer: Drainer | undefined;
  let running = false;
  let scheduled = false;

  const schedule = () => {
    if (scheduled || running || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void flush();
    });
  };

  async function flush(): Promise<void> {
    running = true;
    const items = queue.splice(0, MAX_WORKS_PER_UNIT);
    let handedOn = false;
    // PostgreSQL: once this unit committed, the next one starts before its answers go out, so
    // that its first statements wait on the server while this process writes the answers (on
    // SQLite they would run in this thread ahead of them, so there it waits its turn).
    const handOn =
      database.dialect === 'postgres'
        ? () => {
            handedOn = true;
            running = false;
            if (queue.length > 0) void flush();
          }
        : undefined;
    try {
      await runUnit(items, handOn);
    } finally {
      if (!handedOn) {
        running = false;
        schedule();
      }
    }
  }

  /**
   * Runs the items in one unit. Answers every item; `committed` first, once the unit committed.
   * On failure the failing work is set apart, so that the others still commit together: the
   * work whose write was running when it failed (the usual case: a unit of many and one bad one
   * costs three transactions), else, or if the rest fails again, the items split in halves.
   */
  async function runUnit(items: readonly Queued[], committed?: () => void, again = false): Promise<void> {
    let result: { standings: Map<Work, Standing>; answers: Map<Work, unknown>; outcomes: Map<string, Outcome>; committed: Set<ChangeRecorder>; after: Array<() => void> };
    const running: { work?: Work } = {};
    try {
      const works = items.map((item) => item.work);
      result = await database.section(
        async (runner) => {
          const run = runIn(runner);
          const done = await inUnit(run, works, running);
          await run.flush();
          return done;
        },
        { locks: [...new Set(works.map((work) => work.chatbotId))] },
      );
    } catch (error) {
      // The database is away (a lost connection, a timeout): no work is to blame, and trying
      // them apart would only keep the queue waiting longer. Each is refused (503).
      if (items.length === 1 || isDatabaseUnavailable(error)) {
        for (const item of items) item.reject(error);
        return;
      }
      const suspect = again ? undefined : items.find((item) => item.work === running.work);
      if (suspect) {
        await runUnit(
          items.filter((item) => item !== suspect),
          undefined,
          true,
        );
        return runUnit([suspect]);
      }
      return splitInHalves(items);
    }
    committed?.();
    for (const item of items) item.resolve({ standing: result.standings.get(item.work), answer: result.answers.get(item.work) });
    for (const recorder of result.committed) recorder.committed?.();
    for (const outcome of result.outcomes.values()) published(outcome);
    for (const after of result.after) after();
  }

  /** Runs each half in a unit of its own (each splits again if it fails). */
  async function splitInHalves(items: readonly Queued[]): Promise<void> {
    const middle = Math.ceil(items.length / 2);
    await runUnit(items.slice(0, middle));
    await runUnit(items.slice(middle));
  }

  /** The unit's statements (its locks went with BEGIN): each round's writes, reads, judgement and announcements. */
  async function inUnit(run: Run, works: readonly Work[], running: { work?: Work }) {
    const outcomes = new Map<string, Outcome>();
    const standings = new Map<Work, Standing>();
    const answers = new Map<Work, unknown>();
    const committed = new Set<ChangeRecorder>();
    const after: Array<() => void> = [];
    // Chatbots where a member became available while chats wait: their queue drains in this unit.
    const opened = new Set<string>();
    // Together works whose writes named the agents they changed: judged as those agents.
    const narrowed = new Map<Work, readonly string[]>();
    const outcomeOf = (chatbotId: string) => {
      let outcome = outcomes.get(chatbotId);
      if (!outcome) outcomes.set(chatbotId, (outcome = { chatbotId, wrote: false, decided: [], removed: [], logged: [] }));
      return outcome;
    };
    for (const round of rounds(works)) {
      // The devices' posts first: a write whose rows are not wanted, so on PostgreSQL it goes
      // with the status upsert (and the first with BEGIN) in one round trip (Run.write).
      const posts = round.flatMap((work) => (work.post ? [work.post] : []));
      if (posts.length > 0) await stores.devices.postSignsOfLife(run, foldPosts(posts));
      const statuses = round.flatMap((work) => (work.status ? [work.status] : []));
      if (statuses.length > 0) {
        const standing = await stores.presence.applyStatusUpdates(run, foldStatusUpdates(statuses));
        for (const work of round) if (work.status) standings.set(work, standingOf(work.status, standing.get(agentKey(work.chatbotId, work.status.agent_id))!));
      }
      const shared = newRound();
      const reads = await readFirst(run, round, shared);
      const said: Array<Omit<AnnouncedEvent, 'version'>> = [];
      for (const work of round) {
        if (!work.write) continue;
        // What was read ahead holds while only the works that named it write.
        for (const read of reads) if (work.readFirst?.read !== read) read.forget(shared, work.chatbotId);
        running.work = work;
        const written = await work.write(run, shared, (event) => said.push({ ...event, chatbotId: work.chatbotId }));
        running.work = undefined;
        if (!written) continue;
        if (work.together && written.changed) narrowed.set(work, written.changed);
        if ('answer' in written) answers.set(work, written.answer);
      }
      for (const work of round) if (work.status || work.post || work.write) outcomeOf(work.chatbotId).wrote = true;
      await announce(run, round, outcomeOf, committed, narrowed, said, opened);
    }
    await drainOpened(run, opened, outcomeOf, committed, after);
    return { standings, answers, outcomes, committed, after };
  }

  /** The reads the round's works name (Work.readFirst), each once for all of them, before their writes; which they were. */
  async function readFirst(run: Run, round: readonly Work[], shared: Round): Promise<RoundRead[]> {
    const reads = new Map<RoundRead, Array<{ chatbotId: string; key: string }>>();
    for (const work of round) {
      if (!work.readFirst) continue;
      let wanted = reads.get(work.readFirst.read);
      if (!wanted) reads.set(work.readFirst.read, (wanted = []));
      wanted.push({ chatbotId: work.chatbotId, key: work.readFirst.key });
    }
    for (const [read, wanted] of reads) await read.read(run, shared, wanted);
    return [...reads.keys()];
  }

  /**
   * Drains the queues of the chatbots where a member became available, in the unit that made
   * it so (the drainer assigns under the chatbot's lock), and announces what that changed. A
   * chatbot drains once per unit: a drain takes all it can, and what it assigns frees nothing.
   */
  async function drainOpened(run: Run, opened: Set<string>, outcomeOf: (chatbotId: string) => Outcome, committed: Set<ChangeRecorder>, after: Array<() => void>) {
    const drained = new Set<string>();
    while (drainer && opened.size > 0) {
      const due = [...opened].filter((chatbotId) => !drained.has(chatbotId));
      opened.clear();
      if (due.length === 0) return;
      const shared = newRound();
      const said: Array<Omit<AnnouncedEvent, 'version'>> = [];
      const judged: Work[] = [];
      for (const chatbotId of due) {
        drained.add(chatbotId);
        const drain = await drainer.drain(run, shared, chatbotId, (event) => said.push({ ...event, chatbotId }));
        if (drain.committed) after.push(drain.committed);
        if (drain.changed.length === 0) continue;
        judged.push({ chatbotId, agentIds: drain.changed });
        outcomeOf(chatbotId).wrote = true;
      }
      await announce(run, judged, outcomeOf, committed, new Map(), said, opened);
    }
  }

  /** Judges the round's agents and announces what is news, then what its writes said: claims, versions, every recorder. */
  async function announce(
    run: Run,
    round: readonly Work[],
    outcomeOf: (chatbotId: string) => Outcome,
    committed: Set<ChangeRecorder>,
    narrowed: ReadonlyMap<Work, readonly string[]>,
    said: ReadonlyArray<Omit<AnnouncedEvent, 'version'>>,
    opened: Set<string>,
  ): Promise<void> {
    const agentsOf = (work: Work) => work.agentIds ?? narrowed.get(work);
    const whole = [...new Set(round.filter((work) => !agentsOf(work)).map((work) => work.chatbotId))];
    const named = round
      .filter((work) => agentsOf(work) && !whole.includes(work.chatbotId))
      .flatMap((work) => agentsOf(work)!.map((agentId) => ({ chatbotId: work.chatbotId, agentId })));
    const rows: MemberPresenceRow[] = [];
    for (const chatbotId of whole) rows.push(...(await stores.members.ofChatbot(run, chatbotId)));
    if (named.length > 0) rows.push(...(await stores.members.named(run, named)));
    const at = now();
    const judgement = judgeMembers(rows, at, liveness);
    for (const { chatbotId, agentId, nextChangeAt } of judgement.decided) outcomeOf(chatbotId).decided.push({ agentId, nextChangeAt });
    // Removals first (former members are not among the claims): the claim then takes the
    // versions of the news it finds, the removals' and the said events' in one go.
    const removals: Array<Omit<AnnouncedChange, 'version'>> = [];
    for (const { chatbotId, agentId } of await formerMembers(run, whole, named, rows)) {
      const unclaimed = await stores.announcements.unclaim(run, chatbotId, agentId);
      if (!unclaimed) continue;
      outcomeOf(chatbotId).removed.push(agentId);
      removals.push({
        chatbotId,
        agentId,
        entry: JSON.stringify({ agentId, removed: true, online: false, connected: false }),
        removed: true,
        state: null,
        closes: unclaimed.history_id,
      });
    }
    const others = new Map<string, number>();
    for (const item of [...removals, ...said]) others.set(item.chatbotId, (others.get(item.chatbotId) ?? 0) + 1);
    const { claimed, next } = await stores.announcements.claim(
      run,
      judgement.claims.map((item) => item.claim),
      others,
    );
    const news: Array<Omit<AnnouncedChange, 'version'>> = judgement.claims
      .filter((item) => claimed.has(agentKey(item.claim.chatbot_id, item.claim.agent_id)))
      .map(
        ({ claim, state, closes }): Omit<AnnouncedChange, 'version'> => ({
          chatbotId: claim.chatbot_id,
          agentId: claim.agent_id,
          entry: claim.entry,
          removed: false,
          state,
          closes,
        }),
      )
      .concat(removals);
    // The queue drains where a member is available now (judge.ts roomWhereWaiting) and either
    // became so (its state change claimed here) or had its load changed by a write (a chat
    // released, moved, or taken and given back in the same round).
    if (judgement.roomWhereWaiting.length > 0) {
      const becameSo = new Set(judgement.claims.filter((item) => item.state !== null).map((item) => agentKey(item.claim.chatbot_id, item.claim.agent_id)));
      const loadChanged = new Set(round.flatMap((work) => (work.together && narrowed.get(work) ? narrowed.get(work)!.map((agentId) => agentKey(work.chatbotId, agentId)) : [])));
      for (const { chatbotId, agentId } of judgement.roomWhereWaiting) {
        const key = agentKey(chatbotId, agentId);
        if ((becameSo.has(key) && claimed.has(key)) || loadChanged.has(key)) opened.add(chatbotId);
      }
    }
    if (judgement.reschedule.length > 0) await stores.announcements.reschedule(run, judgement.reschedule);
    if (news.length === 0 && said.length === 0) return;
    // Each chatbot's changes first (its news, then its removals), then the events its writes said: versions count on in that order.
    const versioned = <T extends { chatbotId: string }>(item: T): T & { version: number } => {
      const version = next.get(item.chatbotId)!;
      next.set(item.chatbotId, version + 1);
      return { ...item, version };
    };
    const changes: AnnouncedChange[] = news.map(versioned);
    const events: AnnouncedEvent[] = said.map(versioned);
    for (const recorder of recorders) {
      if (changes.length > 0 && (await recorder.record(run, changes, at))) committed.add(recorder);
      if (events.length > 0 && recorder.recordEvents && (await recorder.recordEvents(run, events, at))) committed.add(recorder);
    }
    // In each chatbot the changes' versions come before its events', so this keeps version order.
    for (const change of changes) outcomeOf(change.chatbotId).logged.push({ version: change.version, data: change.entry });
    for (const event of events) outcomeOf(event.chatbotId).logged.push({ version: event.version, data: event.data, type: event.type });
  }

  /**
   * Former members to announce as removed: in chatbots judged whole, every one; among agents
   * asked about, those not found as members (when all were found, the usual case, there is
   * nothing to look for).
   */
  async function formerMembers(run: Run, whole: readonly string[], named: ReadonlyArray<{ chatbotId: string; agentId: string }>, rows: readonly MemberPresenceRow[]) {
    const found = new Set(rows.map((row) => agentKey(row.chatbot_id, row.agent_id)));
    const missing = named.filter((pair) => !found.has(agentKey(pair.chatbotId, pair.agentId)));
    const former: Array<{ chatbotId: string; agentId: string }> = [];
    for (const chatbotId of new Set([...whole, ...missing.map((pair) => pair.chatbotId)])) {
      const wanted = whole.includes(chatbotId) ? null : new Set(missing.filter((pair) => pair.chatbotId === chatbotId).map((pair) => pair.agentId));
      for (const agentId of await stores.announcements.formerMembers(run, chatbotId)) if (!wanted || wanted.has(agentId)) former.push({ chatbotId, agentId });
    }
    return former;
  }

  return {
    /** What drains a chatbot's queue when a member becomes available (set once, by assignments/). */
    drainWith(value: Drainer): void {
      drainer = value;
    },

    /** Whether nothing waits or runs (tests wait for this before they look). */
    idle: () => queue.length === 0 && !running && !scheduled,

    /** Makes the work's change and judges its agents in the next unit of work; the status that stands, for a status update. */
    submit<T>(work: Work<T>): Promise<Done<T>> {
      return new Promise((resolve, reject) => {
        queue.push({ work: work as Work, resolve: resolve as (done: Done<unknown>) => void, reject });
        schedule();
      });
    },
  };
}
