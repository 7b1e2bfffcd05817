import { type IncomingRecord, LANE_HEADER } from '@fleet/kafka';

/** One input of the aligner: the catalogue topic name, whose marks close a tick on it, and whether it is a feedback edge. */
export interface AlignedInput {
  readonly topic: string;
  readonly producers: readonly string[];
  readonly delayed: boolean;
}

/** A buffered record of a lane: a data record of a tick, or a record that cannot be aligned (no valid lane headers). */
export interface AlignedRecord {
  readonly topic: string;
  readonly record: IncomingRecord;
  /** The tick the producer wrote it in; for a stray record, the tick it was assigned to on arrival. */
  readonly tick: number;
  readonly producer: string;
  /** True when the record had no valid tick or producer header (it goes to the dead-letter topic). */
  readonly stray: boolean;
}

/** A tick of one lane whose every input is complete. */
export interface ReadyTick {
  readonly tick: number;
  readonly tickTimeUs: number;
  /** The data records of the tick in canonical order: inputs in declared order, then producer name, then offset. */
  readonly records: readonly AlignedRecord[];
  /** Records without lane headers that arrived before the tick closed; dead-lettered with it. */
  readonly strays: readonly AlignedRecord[];
}

interface BufferedMark {
  readonly offset: bigint;
  readonly tick: number;
}

interface InputState {
  readonly input: AlignedInput;
  readonly index: number;
  /** The highest tick each producer has closed on this partition (tick −1 is closed vacuously: a delayed input needs nothing at tick 0). */
  readonly marked: Map<string, number>;
  readonly data: AlignedRecord[];
  readonly marks: BufferedMark[];
  /** The offset after the last record seen, or undefined before any. */
  next: bigint | undefined;
}

/** Returns a non-negative safe integer header value (a tick, or a time in microseconds), else undefined. */
function parseTick(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,16}$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

function byProducerThenOffset(a: AlignedRecord, b: AlignedRecord): number {
  if (a.producer !== b.producer) return a.producer < b.producer ? -1 : 1;
  const d = BigInt(a.record.offset) - BigInt(b.record.offset);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/**
 * The tick alignment of one lane (partition p of every input topic). Pure: records go in as they
 * arrive, in any interleaving of topics and producers; ticks come out complete and in canonical
 * order, so the same log gives the same ticks however the broker delivered it.
 *
 * Tick T is ready when every producer of every input has closed T on this partition (T − 1 for a
 * delayed input). After T is processed, {@link resumeOffsets} names, per input topic, the first
 * offset still needed: a restart resumes there and {@link add} drops what was already processed.
 */
export class LaneAligner {
  private readonly inputs: Map<string, InputState>;
  private readonly tickTimes = new Map<number, number>();
  private readonly strays: AlignedRecord[] = [];
  private last: number;

  /** Returns an aligner for `inputs` (catalogue names) whose ticks up to `lastTick` are already processed (−1 when none). */
  constructor(inputs: readonly AlignedInput[], lastTick = -1) {
    this.last = lastTick;
    this.inputs = new Map(
      inputs.map((input, index) => [
        input.topic,
        { input, index, marked: new Map(input.producers.map((p) => [p, input.delayed ? Math.max(lastTick - 1, -1) : lastTick])), data: [], marks: [], next: undefined },
      ]),
    );
  }

  /** The last tick processed (−1 before the first). */
  get lastTick(): number {
    return this.last;
  }

  /** Buffers one record of `topic` (a catalogue name); ignores what the lane already processed. */
  add(topic: string, record: IncomingRecord): void {
    const state = this.inputs.get(topic);
    if (!state) throw new Error(`lane aligner: ${topic} is not an input of this lane`);
    const offset = BigInt(record.offset);
    // A rejoin redelivers from the committed offset: what this aligner has already seen is not new.
    if (state.next !== undefined && offset < state.next) return;
    state.next = offset + 1n;
    const tick = parseTick(record.headers[LANE_HEADER.tick]);
    const producer = record.headers[LANE_HEADER.producer];
    const isMark = record.headers[LANE_HEADER.mark] !== undefined;
    if (tick === undefined || producer === undefined || (isMark && !state.marked.has(producer))) {
      if (isMark) return; // a mark from a producer this lane does not wait for is not an event either
      this.strays.push({ topic, record, tick: this.last + 1, producer: producer ?? '', stray: true });
      return;
    }
    const bound = state.input.delayed ? this.last - 1 : this.last;
    if (tick <= bound) return;
    if (isMark) {
      state.marks.push({ offset, tick });
      if (tick > (state.marked.get(producer) ?? -1)) state.marked.set(producer, tick);
      const at = parseTick(record.headers[LANE_HEADER.tickTimeUs]);
      if (at !== undefined && !state.input.delayed) this.tickTimes.set(tick, at);
      return;
    }
    state.data.push({ topic, record, tick, producer, stray: false });
  }

  /** Returns the next tick when every input has closed it, else undefined. */
  ready(): ReadyTick | undefined {
    const tick = this.last + 1;
    for (const state of this.inputs.values()) {
      const need = state.input.delayed ? tick - 1 : tick;
      for (const marked of state.marked.values()) if (marked < need) return undefined;
    }
    const tickTimeUs = this.tickTimes.get(tick);
    if (tickTimeUs === undefined) throw new Error(`lane aligner: tick ${tick} closed without a tick time on any undelayed input`);
    const records: AlignedRecord[] = [];
    for (const state of [...this.inputs.values()].sort((a, b) => a.index - b.index)) {
      const want = state.input.delayed ? tick - 1 : tick;
      records.push(...state.data.filter((r) => r.tick === want).sort(byProducerThenOffset));
    }
    return { tick, tickTimeUs, records, strays: [...this.strays] };
  }

  /** Marks `tick` processed: drops its records, marks and strays. */
  complete(tick: number): void {
    if (tick !== this.last + 1) throw new Error(`lane aligner: completing tick ${tick} but the next tick is ${this.last + 1}`);
    this.last = tick;
    this.strays.length = 0;
    this.tickTimes.delete(tick);
    for (const state of this.inputs.values()) {
      const bound = state.input.delayed ? tick - 1 : tick;
      remove(state.data, (r) => r.tick <= bound);
      remove(state.marks, (m) => m.tick <= bound);
    }
  }

  /**
   * Returns, per input topic seen, the offset a restart must resume from: the first buffered
   * record still needed, else the offset after the last record seen.
   */
  resumeOffsets(): Map<string, bigint> {
    const out = new Map<string, bigint>();
    for (const [topic, state] of this.inputs) {
      if (state.next === undefined) continue;
      let first = state.next;
      for (const r of state.data) first = BigInt(r.record.offset) < first ? BigInt(r.record.offset) : first;
      for (const m of state.marks) first = m.offset < first ? m.offset : first;
      for (const s of this.strays) if (s.topic === topic && BigInt(s.record.offset) < first) first = BigInt(s.record.offset);
      out.set(topic, first);
    }
    return out;
  }

  /** How many data records wait for a later tick (a gauge of how far inputs run ahead). */
  buffered(): number {
    let n = this.strays.length;
    for (const state of this.inputs.values()) n += state.data.length;
    return n;
  }
}

function remove<T>(items: T[], drop: (item: T) => boolean): void {
  let w = 0;
  for (const item of items) if (!drop(item)) items[w++] = item;
  items.length = w;
}
